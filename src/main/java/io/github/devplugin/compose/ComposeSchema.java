package io.github.devplugin.compose;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import tools.jackson.databind.JsonNode;

/**
 * The Compose Specification's JSON schema, bundled in the plugin jar (see {@code src/build/compose-schema.sh}), and
 * validation of generated files against it, offline. Problems name the path in the file, e.g.
 * {@code services.notes.healthcheck: property 'intervall' is not defined in the schema}.
 */
public final class ComposeSchema {
  /** Classpath location of the bundled schema. */
  public static final String RESOURCE = "io/github/devplugin/compose/compose-spec.json";
  /** Where the bundled schema came from (package, integrity), written by the build next to it. */
  public static final String SOURCE_RESOURCE = "io/github/devplugin/compose/compose-spec.source";

  private static volatile ComposeSchema bundled;

  private final Schema schema;
  private final String source;

  private ComposeSchema(Schema schema, String source) {
    this.schema = schema;
    this.source = source;
  }

  /** The schema bundled with the plugin, loaded once. */
  public static ComposeSchema bundled() {
    ComposeSchema s = bundled;
    if (s == null) {
      synchronized (ComposeSchema.class) {
        s = bundled;
        if (s == null) {
          try (InputStream in = ComposeSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
              throw new EnvironmentError("The Compose Specification schema (" + RESOURCE + ") is missing from the"
                  + " devplugin jar. The plugin was built without it: rebuild devplugin"
                  + " (src/build/compose-schema.sh).");
            }
            s = load(in, bundledSource());
          } catch (IOException e) {
            throw new EnvironmentError("Cannot read the bundled Compose Specification schema: " + e.getMessage(), e);
          }
          bundled = s;
        }
      }
    }
    return s;
  }

  /**
   * Where the bundled schema came from ({@link #source()} of {@link #bundled()}), read from the small file beside it
   * without loading the schema: what an up-to-date check needs.
   */
  public static String bundledSource() {
    try (InputStream src = ComposeSchema.class.getClassLoader().getResourceAsStream(SOURCE_RESOURCE)) {
      Properties p = new Properties();
      if (src != null) {
        p.load(new java.io.InputStreamReader(src, StandardCharsets.UTF_8));
      }
      return "npm " + p.getProperty("package", "(unknown source)");
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read the bundled Compose Specification schema's source: " + e.getMessage(),
          e);
    }
  }

  /** A schema read from a stream (tests use it to compare the bundled schema with a reference copy). */
  public static ComposeSchema load(InputStream in, String source) {
    // draft-07 (the schema names it by its https id, which the registry maps to the canonical one), knowing the
    // annotation 'deprecated' that the schema uses: a later draft's keyword, which draft-07 would warn about
    Dialect dialect = Dialect.builder(Dialects.getDraft7().getId(), Dialects.getDraft7())
        .keyword(new AnnotationKeyword("deprecated"))
        .build();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect);
    // a base location resolves the schema's relative $id without looking anything up
    Schema schema = registry.getSchema(SchemaLocation.of("classpath:" + RESOURCE), in, InputFormat.JSON);
    return new ComposeSchema(schema, source);
  }

  /** Where this schema came from, for logs. */
  public String source() {
    return source;
  }

  /** The problems of one compose file, each as {@code path: message}; empty when it is valid. */
  public List<String> validate(String yaml) {
    return problems(null, yaml).stream().map(p -> p.element() + ": " + p.message()).toList();
  }

  /**
   * The problems of the compose file {@code file}, each about {@code <file> at <path> (line N)}; empty when it is
   * valid.
   *
   * @param file the file's name, or null for the path alone
   */
  public List<Problem> problems(String file, String yaml) {
    JsonNode node = ComposeYaml.read(yaml);
    java.util.Map<String, Integer> lines = null;
    List<Problem> out = new ArrayList<>();
    for (Error e : schema.validate(node)) {
      if (lines == null) {
        lines = ComposeYaml.lines(yaml);
      }
      String pointer = e.getInstanceLocation().toString().replaceFirst("^[$#]", "");
      Integer line = e.getProperty() != null ? lines.get(pointer + "/" + e.getProperty()) : null;
      if (line == null) {
        line = lines.get(pointer);
      }
      out.add(new Problem((file == null ? "" : file + " at ") + path(e) + (line == null ? "" : " (line " + line
          + ")"), e.getMessage(), null));
    }
    return out;
  }

  /** {@code /services/notes} plus the offending property as {@code services.notes.intervall}. */
  private static String path(Error e) {
    String pointer = e.getInstanceLocation().toString();
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.replaceFirst("^[$#]?/?", "").split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String p = part.replace("~1", "/").replace("~0", "~");
      if (p.matches("\\d+")) {
        sb.append('[').append(p).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(p);
      }
    }
    return sb.length() == 0 ? "(top level)" : sb.toString();
  }
}
