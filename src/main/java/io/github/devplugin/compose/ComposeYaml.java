package io.github.devplugin.compose;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Compose YAML as Jackson writes it: block style, few quotes, but every string that a YAML 1.1 reader (PyYAML in
 * docker-compose 1.x and podman-compose) could take for something else is quoted: numbers, booleans such as
 * {@code no}, and anything with a colon, so that {@code "22:22"} never turns into the base-60 number 1342.
 */
final class ComposeYaml {
  private static final class Quoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || value.indexOf(':') >= 0 || value.indexOf('$') >= 0
          || (!value.isEmpty() && "0123456789+.".indexOf(value.charAt(0)) >= 0);
    }
  }

  private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
          .stringQuotingChecker(new Quoting())
          .build())
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
      .disable(YAMLWriteFeature.SPLIT_LINES)
      .build();

  private ComposeYaml() {}

  /** The YAML of a tree of maps, lists, strings and numbers, in the maps' own order. */
  static String write(Object tree) {
    return MAPPER.writeValueAsString(tree);
  }

  /**
   * The line of every object member and array entry, by JSON pointer ({@code /services/app/ports/0}), to point
   * at the place in the file that a schema error is about.
   */
  static java.util.Map<String, Integer> lines(String yaml) {
    java.util.Map<String, Integer> out = new java.util.HashMap<>();
    try (JsonParser p = MAPPER.createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        TokenStreamContext ctx = p.streamReadContext();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          ctx = ctx.getParent();
        }
        if (ctx == null || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue;
        }
        if (t == JsonToken.PROPERTY_NAME || ctx.inArray()) {
          out.putIfAbsent(ctx.pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
        }
      }
    } catch (JacksonException e) {
      // the schema check reports what it can without lines
    }
    return out;
  }

  /** A compose file as a tree of maps (in the file's order), lists, strings and numbers. */
  @SuppressWarnings("unchecked")
  static java.util.Map<String, Object> readMap(String yaml) {
    try {
      return MAPPER.readValue(yaml, java.util.LinkedHashMap.class);
    } catch (JacksonException e) {
      throw new IllegalStateException("generated YAML does not parse: " + e.getOriginalMessage(), e);
    }
  }

  static JsonNode read(String yaml) {
    try {
      return MAPPER.readTree(yaml);
    } catch (JacksonException e) {
      throw new IllegalStateException("generated YAML does not parse: " + e.getOriginalMessage(), e);
    }
  }
}
