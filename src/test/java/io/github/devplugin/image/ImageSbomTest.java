package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Masker;
import io.github.devplugin.sbom.SbomSchema;
import io.github.devplugin.sbom.TestImages;
import io.github.devplugin.testing.RecordingLog;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Every image build writes a CycloneDX SBOM of what is in the image and attaches it in the registry. */
class ImageSbomTest {
  @TempDir
  Path tmp;

  private ImageRecord build(Path project, String image, RecordingLog log) throws Exception {
    Path jar = tmp.resolve("repo/commons-text-1.9.jar");
    if (!Files.exists(jar)) { // written once: a zip records the time it was written
      Files.createDirectories(jar.getParent());
      Files.write(jar, TestImages.jar("org.apache.commons", "commons-text", "1.9"));
    }
    EffectiveConfig c = config(project, image);
    ImageInputs base = TestProjects.inputs(project);
    ImageInputs inputs = new ImageInputs(base.classesDirectory(), List.of(new ImageInputs.Dependency(jar,
        ImageInputs.Kind.RELEASE, "org.apache.commons:commons-text")), base.manifest(), base.migratorJars(),
        base.gitRevision(), base.workDirectory());
    return ImageGoal.run(c, inputs, secrets(), log, tmp.resolve("cache"), Map.of(), false);
  }

  private static EffectiveConfig config(Path project, String image) throws Exception {
    return TestProjects.config(TestProjects.info(project, "1.0.0"),
        "<configuration><service><name>demo</name><mainClass>demo.App</mainClass></service>"
            + "<database><enabled>false</enabled></database><image>" + image + "</image></configuration>", "dev");
  }

  private static Secrets secrets() {
    return new Secrets(List.of(), id -> Optional.empty(), k -> null, new Masker());
  }

  @Test
  void aPushedImageHasItsSbomAttachedListingEveryJarOfItsLayers() throws Exception {
    Path project = TestProjects.project(tmp.resolve("p"), Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    try (OwnRegistry registry = new OwnRegistry(Files.createDirectories(tmp.resolve("registry")))) {
      RecordingLog log = new RecordingLog();
      ImageRecord record = build(project, "<from>" + TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE") + "</from><to>"
          + registry.address + "/sbom-demo</to>", log);
      Path file = project.resolve("target/devplugin/sbom.cdx.json");
      String json = Files.readString(file);
      assertThat(SbomSchema.validate(json)).isEmpty();
      JsonNode bom = Json.read(json);
      assertThat(bom.get("metadata").get("component").get("version").asString()).isEqualTo(record.digest());

      // every jar in the layers as stored in the registry (read independently of devplugin) is listed by path
      TreeSet<String> jarsInLayers = new TreeSet<>();
      JsonNode manifest = get(registry.address, "/v2/sbom-demo/manifests/" + record.digest());
      for (JsonNode layer : manifest.get("layers")) {
        try (InputStream in = new URL("http://" + registry.address + "/v2/sbom-demo/blobs/"
            + layer.get("digest").asString()).openStream();
            TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
          TarArchiveEntry e;
          while ((e = tar.getNextEntry()) != null) {
            if (e.isFile() && e.getName().endsWith(".jar")) {
              jarsInLayers.add("/" + e.getName().replaceFirst("^\\.?/", ""));
            }
          }
        }
      }
      TreeSet<String> listed = new TreeSet<>();
      bom.get("components").forEach(c -> c.path("properties").forEach(p -> {
        if (p.get("name").asString().equals("devplugin:image:path") && c.get("bom-ref").asString().startsWith(
            "file:")) {
          listed.add(p.get("value").asString());
        }
      }));
      assertThat(jarsInLayers).isNotEmpty().anyMatch(j -> j.endsWith("commons-text-1.9.jar"));
      assertThat(listed).isEqualTo(jarsInLayers);
      assertThat(json).contains("pkg:maven/org.apache.commons/commons-text@1.9?type=jar");
      // the base's Java runtime, from its release file
      assertThat(json).contains("\"type\" : \"platform\"");

      // attached: cosign's tag and the OCI 1.1 referrers tag, both naming the image as subject
      String hex = record.digest().substring("sha256:".length());
      JsonNode artifact = get(registry.address, "/v2/sbom-demo/manifests/sha256-" + hex + ".sbom");
      assertThat(artifact.get("artifactType").asString()).isEqualTo("application/vnd.cyclonedx+json");
      assertThat(artifact.get("subject").get("digest").asString()).isEqualTo(record.digest());
      String sbomBlob = artifact.get("layers").get(0).get("digest").asString();
      try (InputStream in = new URL("http://" + registry.address + "/v2/sbom-demo/blobs/" + sbomBlob).openStream()) {
        assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(json);
      }
      JsonNode referrers = get(registry.address, "/v2/sbom-demo/manifests/sha256-" + hex);
      assertThat(referrers.get("manifests")).singleElement().satisfies(d ->
          assertThat(d.get("artifactType").asString()).isEqualTo("application/vnd.cyclonedx+json"));
    }
  }

  @Test
  void aTarBuildWritesTheSameSbomEachTime() throws Exception {
    Path project = TestProjects.project(tmp.resolve("t"), Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    String image = "<from>tar://" + TestProjects.env("DEVPLUGIN_TEST_BASE_TAR") + "</from>";
    build(project, image, new RecordingLog());
    Path file = project.resolve("target/devplugin/sbom.cdx.json");
    byte[] first = Files.readAllBytes(file);
    assertThat(SbomSchema.validate(new String(first, java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
    Files.delete(file);
    RecordingLog again = new RecordingLog();
    build(project, image, again);
    assertThat(again.contains("is up to date")).isFalse();
    assertThat(Files.readString(file)).isEqualTo(new String(first, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void theSbomReadWithAWarmLayerCacheIsTheSbomReadWithAnEmptyOneAndFetchesNoLayer() throws Exception {
    Path project = TestProjects.project(tmp.resolve("w"), Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    try (OwnRegistry registry = new OwnRegistry(Files.createDirectories(tmp.resolve("registry")))) {
      String image = "<from>" + TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE") + "</from><to>" + registry.address
          + "/sbom-cache</to>";
      ImageRecord record = build(project, image, new RecordingLog()); // the layer cache tmp/cache is empty here
      Path file = project.resolve("target/devplugin/sbom.cdx.json");
      byte[] cold = Files.readAllBytes(file);
      JsonNode manifest = get(registry.address, "/v2/sbom-cache/manifests/" + record.digest());
      assertThat(manifest.get("layers").size()).isGreaterThan(1);
      // the registry loses every layer's bytes: a read-back that fetched one would fail
      for (JsonNode layer : manifest.get("layers")) {
        String hex = layer.get("digest").asString().substring("sha256:".length());
        Files.delete(registry.storage.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex
            + "/data"));
      }
      Files.delete(file);
      RecordingLog warm = new RecordingLog();
      assertThat(ImageSbom.run(config(project, image), record, secrets(), warm, tmp.resolve("cache"), Map.of()))
          .contains(file);
      assertThat(Files.readAllBytes(file)).isEqualTo(cold);
      assertThat(warm.contains("Attached the SBOM")).isTrue();
      // and with another, empty cache the read-back needs the layers: the cache was what spared them
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageSbom.run(config(project, image), record,
          secrets(), new RecordingLog(), tmp.resolve("other-cache"), Map.of()))
          .hasMessageContaining(manifest.get("layers").get(0).get("digest").asString());
    }
  }

  @Test
  void thePreparationReadsTheRegistryBasesLayersIntoTheLayerCacheWhileJibBuilds() throws Exception {
    Path project = TestProjects.project(tmp.resolve("b"), Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    String base = TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE");
    com.google.cloud.tools.jib.api.ImageReference ref = com.google.cloud.tools.jib.api.ImageReference.parse(base);
    List<String> baseLayers = new java.util.ArrayList<>();
    JsonNode manifest = get(ref.getRegistry(), "/v2/" + ref.getRepository() + "/manifests/" + ref.getQualifier());
    manifest.get("layers").forEach(l -> baseLayers.add(l.get("digest").asString()));
    assertThat(baseLayers).isNotEmpty();
    Path cache = tmp.resolve("prepared-cache");
    Path entries = io.github.devplugin.sbom.LayerInventoryCache.directory(cache);

    // the tar target reads the base's layers from its own tar: nothing is fetched ahead
    ImagePlan tarPlan = ImagePlanner.plan(config(project, "<from>" + base + "</from><target>tar</target>"),
        TestProjects.inputs(project), new RecordingLog());
    ImageSbom.prepare(tarPlan, secrets(), cache, Map.of(), io.github.devplugin.core.Network.DIRECT,
        new RecordingLog()).await();
    assertThat(entries).doesNotExist();

    ImagePlan plan = ImagePlanner.plan(config(project, "<from>" + base + "</from><to>" + ref.getRegistry()
        + "/devplugin-prepare/demo</to>"), TestProjects.inputs(project), new RecordingLog());
    ImageSbom.prepare(plan, secrets(), cache, Map.of(), io.github.devplugin.core.Network.DIRECT,
        new RecordingLog()).await();
    for (String layer : baseLayers) {
      assertThat(entries.resolve(layer.substring("sha256:".length()) + ".json")).isRegularFile();
    }
  }

  private static JsonNode get(String registry, String path) throws Exception {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) new URL("http://" + registry + path).openConnection();
    c.setRequestProperty("Accept", "application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,"
        + "application/vnd.docker.distribution.manifest.v2+json");
    try (InputStream in = c.getInputStream()) {
      return Json.read(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
