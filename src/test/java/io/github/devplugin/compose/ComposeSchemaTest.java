package io.github.devplugin.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.Json;
import io.github.devplugin.image.ImageRecord;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The bundled Compose Specification schema: what it rejects, and that it agrees with the reference copy. */
class ComposeSchemaTest {
  @TempDir
  Path project;

  /** The reference copy of the schema (compose-spec, schema/compose-spec.json), read in place, never copied. */
  static Path reference() {
    String dir = System.getProperty("devplugin.test.sharedData");
    assertThat(dir).as("system property devplugin.test.sharedData (set by the POM's surefire configuration)")
        .isNotNull();
    Path p = Path.of(dir, "compose-spec.json");
    assertThat(p).as("the reference Compose Specification schema in the shared data directory").isRegularFile();
    return p;
  }

  @Test
  void theBundledSchemaComesFromThePinnedPackage() {
    assertThat(ComposeSchema.bundled().source()).isEqualTo("npm dclint@3.1.0");
    // what the up-to-date check fingerprints without loading the schema
    assertThat(ComposeSchema.bundledSource()).isEqualTo(ComposeSchema.bundled().source());
  }

  @Test
  void aSchemaViolationNamesThePathInTheFile() {
    List<String> problems = ComposeSchema.bundled().validate("""
        version: "3.8"
        services:
          app:
            image: x
            healthcheck:
              test: ["CMD", "true"]
              intervall: 5s
            ports:
              - target: 80
                published: 8080
                mode: ingress
                bogus: 1
            depends_on:
              db:
                condition: service_started_eventually
        """);
    assertThat(problems).anyMatch(p -> p.startsWith("services.app.healthcheck (line 7): ") && p.contains("intervall"));
    assertThat(problems).anyMatch(p -> p.startsWith("services.app.ports[0] (line 12): ") && p.contains("bogus"));
    assertThat(problems).anyMatch(p -> p.startsWith("services.app.depends_on.db.condition (line 15): "));
  }

  @Test
  void aValidFileHasNoProblems() {
    assertThat(ComposeSchema.bundled().validate("services:\n  app:\n    image: x\n")).isEmpty();
  }

  @Test
  void everyGeneratedFileIsValidUnderTheBundledAndTheReferenceSchema() throws Exception {
    ComposeSchema ref;
    try (InputStream in = Files.newInputStream(reference())) {
      ref = ComposeSchema.load(in, "reference");
    }
    ImageRecord image = new ImageRecord("127.0.0.1:5077/it/notes", List.of("1"), "sha256:" + "c".repeat(64),
        "sha256:" + "d".repeat(64), "127.0.0.1:5077/it/notes@sha256:" + "c".repeat(64), "registry", null,
        List.of());
    for (ImageRecord img : new ImageRecord[] {null, image}) {
      Map<String, EffectiveConfig> configs = Fixture.load(project, ComposeGeneratorTest.NOTES
          + "<compose><variables><variable><name>X</name><value>a b</value></variable></variables></compose>");
      ComposeGenerator.Output out = ComposeGenerator.generate(Fixture.input(configs,
          project.resolve("target/devplugin/compose"), img, "io.example.Main"));
      for (Map.Entry<String, String> f : out.files().entrySet()) {
        if (f.getKey().endsWith(".yml")) {
          assertThat(ComposeSchema.bundled().validate(f.getValue())).as(f.getKey() + " (bundled)").isEmpty();
          assertThat(ref.validate(f.getValue())).as(f.getKey() + " (reference)").isEmpty();
        }
      }
    }
  }

  @Test
  void theBundledSchemaDiffersFromTheReferenceOnlyInKnownPlaces() throws Exception {
    JsonNode bundled;
    try (InputStream in = ComposeSchema.class.getClassLoader().getResourceAsStream(ComposeSchema.RESOURCE)) {
      bundled = Json.mapper().readTree(in);
    }
    JsonNode reference = Json.mapper().readTree(Files.readString(reference()));
    TreeSet<String> a = new TreeSet<>();
    TreeSet<String> b = new TreeSet<>();
    paths(bundled, "", a);
    paths(reference, "", b);
    TreeSet<String> onlyReference = new TreeSet<>(b);
    onlyReference.removeAll(a);
    TreeSet<String> onlyBundled = new TreeSet<>(a);
    onlyBundled.removeAll(b);
    // the npm package carries the schema of March 2026; the reference is of June 2026. Nothing devplugin writes is
    // among the differences: if this fails after moving the package, compare the two and update the list.
    assertThat(onlyBundled).isEmpty();
    assertThat(onlyReference).containsExactlyInAnyOrder(
        "/definitions/development/properties/watch/items/properties/initial_sync",
        "/definitions/service/properties/build/oneOf/1/properties/provenance",
        "/definitions/service/properties/build/oneOf/1/properties/sbom");
  }

  /** Every property declared anywhere in the schema, as a path. */
  private static void paths(JsonNode node, String path, TreeSet<String> out) {
    if (node.isObject()) {
      for (String name : node.propertyNames()) {
        JsonNode child = node.get(name);
        if (name.equals("properties") && child.isObject()) {
          for (String p : child.propertyNames()) {
            out.add(path + "/properties/" + p);
            paths(child.get(p), path + "/properties/" + p, out);
          }
        } else {
          paths(child, path + "/" + name, out);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        paths(node.get(i), path + "/" + i, out);
      }
    }
  }
}
