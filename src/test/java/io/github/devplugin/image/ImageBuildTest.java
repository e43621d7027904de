package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Masker;
import io.github.devplugin.testing.RecordingLog;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Real builds: reproducible digests, and what a one-class change uploads. */
class ImageBuildTest {
  @TempDir
  Path tmp;

  private static Secrets secrets() {
    return new Secrets(List.of(), id -> Optional.empty(), k -> null, new Masker());
  }

  private static String xml(String image) {
    return "<configuration><service><name>demo</name><mainClass>demo.App</mainClass></service>"
        + "<database><enabled>false</enabled></database><image>" + image + "</image></configuration>";
  }

  private ImageRecord build(Path project, String imageXml, Path cacheRoot, RecordingLog log, boolean force) {
    EffectiveConfig c = TestProjects.config(TestProjects.info(project, "1.0.0"), xml(imageXml), "dev");
    return ImageGoal.run(c, TestProjects.inputs(project), secrets(), log, cacheRoot, Map.of(), force);
  }

  @Test
  void theBuildTimeStampsCreationAndFilesAndOfflineBuildsTouchNoRegistry() throws Exception {
    Path project = TestProjects.project(tmp.resolve("t"), Map.of("demo.App", TestProjects.app("demo", "App", "t")));
    String baseTar = TestProjects.env("DEVPLUGIN_TEST_BASE_TAR");
    java.time.Instant time = java.time.Instant.parse("2024-01-01T00:00:00Z");
    ImageInputs plain = TestProjects.inputs(project);
    ImageInputs timed = new ImageInputs(plain.classesDirectory(), plain.dependencies(), plain.manifest(),
        plain.migratorJars(), plain.gitRevision(), false, time, plain.workDirectory());
    io.github.devplugin.core.Network offline = new io.github.devplugin.core.Network(true, List.of());
    EffectiveConfig c = TestProjects.config(TestProjects.info(project, "1.0.0"),
        xml("<from>tar://" + baseTar + "</from><target>tar</target>"), "dev");
    ImageRecord r = ImageGoal.run(c, timed, secrets(), new RecordingLog(), tmp.resolve("cache"), Map.of(), offline,
        false);
    Map<String, byte[]> tar = TarEntries.read(Path.of(r.tarFile()));
    JsonNode manifest = Json.read(new String(tar.get("manifest.json"))).get(0);
    JsonNode config = Json.read(new String(tar.get(manifest.get("Config").asString())));
    assertThat(config.get("created").asString()).isEqualTo("2024-01-01T00:00:00Z");
    String classesLayer = manifest.get("Layers").get(manifest.get("Layers").size() - 1).asString();
    assertThat(TarEntries.times(tar.get(classesLayer))).isNotEmpty().allMatch(t -> t.equals(time));

    // offline: pushing is refused, and a registry base that is not in jib's cache is named with the fix
    EffectiveConfig push = TestProjects.config(TestProjects.info(project, "1.0.0"),
        xml("<from>tar://" + baseTar + "</from><to>registry.invalid/demo</to>"), "dev");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageGoal.run(push, plain, secrets(), new RecordingLog(),
        tmp.resolve("cache"), Map.of(), offline, true)).isInstanceOf(io.github.devplugin.core.UserError.class)
        .hasMessageContaining("Maven runs offline").hasMessageContaining("pushing needs the network")
        .hasMessageContaining("-Ddevplugin.image.target=tar");
    String never = TestProjects.env("DEVPLUGIN_TEST_REGISTRY") + "/never/pulled-" + System.nanoTime() + ":1";
    EffectiveConfig cold = TestProjects.config(TestProjects.info(project, "1.0.0"),
        xml("<from>" + never + "</from><target>tar</target>"), "dev");
    RecordingLog coldLog = new RecordingLog();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageGoal.run(cold, plain, secrets(), coldLog,
        tmp.resolve("cache"), Map.of(), offline, true)).isInstanceOf(io.github.devplugin.core.UserError.class)
        .hasMessageContaining("the base image " + never).hasMessageContaining("not in jib's base image cache")
        .hasMessageContaining("build once without -o");
    assertThat(coldLog.text()).contains("Offline: the base image " + never + " comes from jib's cache");
  }

  @Test
  void twoCleanBuildsGiveTheSameDigest() throws Exception {
    // the jlink base, linked twice into two empty caches, and the app built twice from scratch: same bytes
    Map<String, String> sources = Map.of("demo.App", TestProjects.app("demo", "App", "hello"));
    Path a = TestProjects.project(tmp.resolve("a"), sources);
    Path b = TestProjects.project(tmp.resolve("b"), sources);
    ImageRecord first = build(a, "<from>jlink</from>", tmp.resolve("cache-a"), new RecordingLog(), false);
    ImageRecord second = build(b, "<from>jlink</from>", tmp.resolve("cache-b"), new RecordingLog(), false);
    assertThat(first.digest()).as(() -> describeTars(first, second)).isEqualTo(second.digest());
    assertThat(first.imageId()).isEqualTo(second.imageId());
    assertThat(Files.readAllBytes(Path.of(first.tarFile()))).isEqualTo(Files.readAllBytes(Path.of(second.tarFile())));

    // to a registry, from the test base: two clean builds push the same digest
    String base = TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE");
    String to = TestProjects.env("DEVPLUGIN_TEST_REGISTRY") + "/test/image-reproducible";
    Files.walk(a.resolve("target/devplugin")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    ImageRecord pushedA = build(a, "<from>" + base + "</from><to>" + to + "</to>", tmp.resolve("cache-a"),
        new RecordingLog(), false);
    ImageRecord pushedB = build(b, "<from>" + base + "</from><to>" + to + "</to>", tmp.resolve("cache-b"),
        new RecordingLog(), false);
    assertThat(pushedA.digest()).isEqualTo(pushedB.digest());
    assertThat(pushedA.reference()).isEqualTo(to + "@" + pushedA.digest());
  }

  @Test
  void aOneClassChangeUploadsOnlyTheClassesLayer() throws Exception {
    String base = TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE");
    Path project = TestProjects.project(tmp.resolve("p"), Map.of("demo.App", TestProjects.app("demo", "App", "v1"),
        "demo.Util", "package demo; public class Util { static int v() { return 1; } }"));
    Files.createDirectories(project.resolve("src/main/resources"));
    Files.writeString(project.resolve("target/classes/app.properties"), "greeting=hello\n");
    try (OwnRegistry registry = new OwnRegistry(Files.createDirectories(tmp.resolve("registry")))) {
      String image = "<from>" + base + "</from><to>" + registry.address + "/demo</to>";
      ImageRecord v1 = build(project, image, tmp.resolve("cache"), new RecordingLog(), false);
      java.util.Set<String> blobsAfterV1 = registry.blobs();
      JsonNode m1 = manifest(registry.address, v1.digest());

      // nothing changed: nothing is built or pushed
      RecordingLog same = new RecordingLog();
      ImageRecord again = build(project, image, tmp.resolve("cache"), same, false);
      assertThat(same.contains("is up to date")).isTrue();
      assertThat(again.digest()).isEqualTo(v1.digest());
      assertThat(registry.blobs()).isEqualTo(blobsAfterV1);

      // -Ddevplugin.image.force: built and pushed although nothing changed, to the same digest
      RecordingLog forced = new RecordingLog();
      ImageRecord rebuilt = build(project, image, tmp.resolve("cache"), forced, true);
      assertThat(forced.contains("is up to date")).isFalse();
      assertThat(forced.lines).anySatisfy(l -> assertThat(l).startsWith("INFO Building image").endsWith(", forced."));
      assertThat(rebuilt.digest()).isEqualTo(v1.digest());

      // one class changes
      TestProjects.project(tmp.resolve("p2"), Map.of("demo.App", TestProjects.app("demo", "App", "v2")));
      Files.copy(tmp.resolve("p2/target/classes/demo/App.class"), project.resolve("target/classes/demo/App.class"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      RecordingLog log = new RecordingLog();
      ImageRecord v2 = build(project, image, tmp.resolve("cache"), log, false);
      assertThat(v2.digest()).isNotEqualTo(v1.digest());
      JsonNode m2 = manifest(registry.address, v2.digest());

      List<String> changed = new ArrayList<>();
      for (int i = 0; i < m1.get("layers").size(); i++) {
        if (!m1.get("layers").get(i).get("digest").equals(m2.get("layers").get(i).get("digest"))) {
          changed.add(m2.get("layers").get(i).get("digest").asString());
        }
      }
      // exactly one layer differs: the last application layer, the classes
      assertThat(changed).hasSize(1);
      int classesIndex = m2.get("layers").size() - 1;
      assertThat(changed.get(0)).isEqualTo(m2.get("layers").get(classesIndex).get("digest").asString());
      // the registry gained exactly the classes layer and the new image config (and the manifest, where the
      // registry stores manifests as blobs)
      java.util.Set<String> added = new java.util.TreeSet<>(registry.blobs());
      added.removeAll(blobsAfterV1);
      added.remove(v2.digest());
      added.removeAll(sbomBlobs(registry.address, v2.digest())); // the SBOM attached to v2 (ImageSbomTest)
      assertThat(added).containsExactlyInAnyOrder(changed.get(0), m2.get("config").get("digest").asString());
      // pushed incrementally: jib-core did not build it, and the SBOM is the last one's, re-addressed
      assertThat(log.lines).anySatisfy(l -> assertThat(l).startsWith("INFO Pushed " + registry.address + "/demo with"
          + " tags 1.0.0: " + v2.digest() + " (incrementally: only the classes layer changed since " + v1.digest()));
      assertThat(log.count("BLOB already exists on target registry")).isZero();
      assertThat(log.contains("Wrote sbom.cdx.json (CycloneDX 1.6): the components of the last build's SBOM, for the"
          + " image " + v2.digest())).isTrue();
      Path sbom = project.resolve("target/devplugin/sbom.cdx.json");
      byte[] incrementalSbom = Files.readAllBytes(sbom);
      java.util.Set<String> incrementalSbomBlobs = sbomBlobs(registry.address, v2.digest());

      // jib-core, forced to build the same inputs, makes the same image, byte for byte, and the same SBOM
      java.util.Set<String> blobsAfterV2 = registry.blobs();
      RecordingLog jib = new RecordingLog();
      ImageRecord byJib = build(project, image, tmp.resolve("cache"), jib, true);
      assertThat(jib.count("Skipping push; BLOB already exists on target registry")).isPositive();
      assertThat(registry.blobs()).isEqualTo(blobsAfterV2); // nothing new: the same layers, config and SBOM
      assertThat(jib.contains("incrementally")).isFalse();
      assertThat(byJib.digest()).isEqualTo(v2.digest());
      assertThat(byJib.imageId()).isEqualTo(v2.imageId());
      assertThat(Files.readAllBytes(sbom)).isEqualTo(incrementalSbom);
      assertThat(jib.contains("Wrote sbom.cdx.json (CycloneDX 1.6): ")).isTrue();
      assertThat(sbomBlobs(registry.address, v2.digest())).isEqualTo(incrementalSbomBlobs);
      // the probe saw a plain-HTTP registry: jib-core went there over HTTP without trying HTTPS first
      assertThat(jib.contains(registry.address + " answered over plain HTTP: jib-core goes there over HTTP without"
          + " trying HTTPS first.")).isTrue();
      assertThat(jib.contains("over HTTPS. Attempting again with HTTP")).isFalse();
    }
  }

  @Test
  void anIncrementalPushGivesWayToJibWhenTheBaseTagMovedOrTheRegistryLostALayer() throws Exception {
    Path project = TestProjects.project(tmp.resolve("m"), Map.of("demo.App", TestProjects.app("demo", "App", "m1")));
    try (OwnRegistry registry = new OwnRegistry(Files.createDirectories(tmp.resolve("registry")))) {
      String base = registry.address + "/base:17";
      copy(TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE"), base);
      String image = "<from>" + base + "</from><to>" + registry.address + "/demo</to>";
      ImageRecord v1 = build(project, image, tmp.resolve("cache"), new RecordingLog(), false);

      // the base's tag now names another image: built in full, on the new base
      copy(TestProjects.env("DEVPLUGIN_TEST_DEBUG_BASE_IMAGE"), base);
      changeApp(project, "m2");
      RecordingLog moved = new RecordingLog();
      ImageRecord v2 = build(project, image, tmp.resolve("cache"), moved, false);
      assertThat(moved.lines).anySatisfy(l -> assertThat(l).startsWith("INFO The base image " + base + " is now sha256:")
          .endsWith(": the image is built in full."));
      assertThat(moved.contains("incrementally")).isFalse();
      assertThat(manifest(registry.address, v2.digest()).get("layers").get(0))
          .isNotEqualTo(manifest(registry.address, v1.digest()).get("layers").get(0));

      // the registry lost a layer of the last image that a one-class change keeps (the first application layer):
      // it refuses the manifest of the incremental push, and jib-core builds and pushes again, the lost layer too
      IncrementalPush.State state = IncrementalPush.read(project.resolve("target/devplugin")).orElseThrow();
      String lost = state.layers().get(0).digest();
      assertThat(state.layers().get(0).name()).isNotEqualTo("classes");
      Path blob = registry.storage.resolve("docker/registry/v2/blobs/sha256/" + lost.substring(7, 9) + "/"
          + lost.substring(7));
      Files.walk(blob).sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      changeApp(project, "m3");
      RecordingLog refused = new RecordingLog();
      ImageRecord v3 = build(project, image, tmp.resolve("cache"), refused, false);
      assertThat(refused.lines).anySatisfy(l -> assertThat(l).startsWith("INFO The incremental push of "
          + registry.address + "/demo:1.0.0 did not go through (").endsWith("): the image is built in full."));
      assertThat(refused.lines).anySatisfy(l -> assertThat(l).startsWith("INFO Pushed ").doesNotContain("incrementally"));
      assertThat(registry.blobs()).contains(lost);
      for (JsonNode layer : manifest(registry.address, v3.digest()).get("layers")) {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + registry.address + "/v2/demo/blobs/"
            + layer.get("digest").asString()).openConnection();
        c.setRequestMethod("HEAD");
        assertThat(c.getResponseCode()).as(layer.toString()).isEqualTo(200);
      }
      // and the next one-class change is incremental again
      changeApp(project, "m4");
      RecordingLog again = new RecordingLog();
      build(project, image, tmp.resolve("cache"), again, false);
      assertThat(again.contains("(incrementally: only the classes layer changed since " + v3.digest())).isTrue();
    }
  }

  @Test
  void aOneClassChangeOnAMultiPlatformBaseIsPushedIncrementallyToJibCoresDigest() throws Exception {
    // most public bases are image indexes: the tag's digest is the index's, and so is the one jib-core names
    Path project = TestProjects.project(tmp.resolve("x"), Map.of("demo.App", TestProjects.app("demo", "App", "x1")));
    String image = "<from>" + TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE_MULTI") + "</from><to>"
        + TestProjects.env("DEVPLUGIN_TEST_REGISTRY") + "/test/image-multi-incremental</to>"
        + "<platforms><platform>linux/arm64</platform></platforms>";
    ImageRecord v1 = build(project, image, tmp.resolve("cache"), new RecordingLog(), false);
    changeApp(project, "x2");
    RecordingLog log = new RecordingLog();
    ImageRecord v2 = build(project, image, tmp.resolve("cache"), log, false);
    assertThat(log.contains("(incrementally: only the classes layer changed since " + v1.digest())).isTrue();
    RecordingLog jib = new RecordingLog();
    assertThat(build(project, image, tmp.resolve("cache"), jib, true).digest()).isEqualTo(v2.digest());
    assertThat(jib.contains("incrementally")).isFalse();
  }

  /** The project's App class, compiled anew with another message. */
  private void changeApp(Path project, String message) throws Exception {
    Path other = TestProjects.project(tmp.resolve("other-" + message), Map.of("demo.App",
        TestProjects.app("demo", "App", message)));
    Files.copy(other.resolve("target/classes/demo/App.class"), project.resolve("target/classes/demo/App.class"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void copy(String from, String to) throws Exception {
    Process p = new ProcessBuilder("skopeo", "copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false",
        "docker://" + from, "docker://" + to).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void theInputsStampSkipsPlanningOnlyWhileNoInputAndNoBuildChanged() throws Exception {
    String base = TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE");
    String to = TestProjects.env("DEVPLUGIN_TEST_REGISTRY") + "/test/image-inputs-stamp";
    Path project = TestProjects.project(tmp.resolve("q"), Map.of("demo.App", TestProjects.app("demo", "App", "q")));
    Path extra = project.resolve("src/main/image/etc/greeting.txt");
    Files.createDirectories(extra.getParent());
    Files.writeString(extra, "one\n");
    String image = "<from>" + base + "</from><to>" + to + "</to>";
    ImageRecord first = build(project, image, tmp.resolve("cache"), new RecordingLog(), false);
    Path stamps = project.resolve("target/devplugin/stamps");
    assertThat(stamps.resolve("image-inputs.fingerprint")).isRegularFile();

    RecordingLog same = new RecordingLog();
    assertThat(build(project, image, tmp.resolve("cache"), same, false).digest()).isEqualTo(first.digest());
    assertThat(same.contains("Image " + first.reference() + " is up to date")).isTrue(); // the stamp's note
    assertThat(stamps.resolve("image-inputs.digests")).isRegularFile();

    // image.json edited: its bytes are in the inputs stamp, so the plan decides (reading it)
    Path recordFile = project.resolve("target/devplugin/image.json");
    Files.writeString(recordFile, Files.readString(recordFile) + "\n");
    RecordingLog edited = new RecordingLog();
    assertThat(build(project, image, tmp.resolve("cache"), edited, false).digest()).isEqualTo(first.digest());
    assertThat(edited.contains("Image " + first.reference() + " is up to date")).isTrue();

    // a file of an extra directory (read only when planning) changes: planned and built again
    Files.writeString(extra, "two\n");
    RecordingLog changed = new RecordingLog();
    ImageRecord second = build(project, image, tmp.resolve("cache"), changed, false);
    assertThat(changed.contains("is up to date")).isFalse();
    assertThat(second.digest()).isNotEqualTo(first.digest());

    // the last build's stamp gone: the inputs stamp alone never decides
    Files.delete(stamps.resolve("image.fingerprint"));
    RecordingLog gone = new RecordingLog();
    assertThat(build(project, image, tmp.resolve("cache"), gone, false).digest()).isEqualTo(second.digest());
    assertThat(gone.contains("is up to date")).isFalse();
    assertThat(gone.contains("Building image")).isTrue();
  }

  private static String describeTars(ImageRecord a, ImageRecord b) {
    try {
      return run("skopeo", "inspect", "docker-archive:" + a.tarFile()) + "\n---\n"
          + run("skopeo", "inspect", "docker-archive:" + b.tarFile()) + "\n---\n"
          + run("skopeo", "inspect", "--config", "docker-archive:" + a.tarFile()) + "\n---\n"
          + run("skopeo", "inspect", "--config", "docker-archive:" + b.tarFile());
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    return new String(p.getInputStream().readAllBytes());
  }

  /** The blobs of the SBOM attached to an image: the SBOM, its artifact manifest and the referrers index. */
  private static java.util.Set<String> sbomBlobs(String registry, String digest) throws Exception {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String tag : List.of(ImageSbom.sbomTag(digest), digest.replace(':', '-'))) {
      HttpURLConnection c = (HttpURLConnection) new URL("http://" + registry + "/v2/demo/manifests/" + tag)
          .openConnection();
      c.setRequestProperty("Accept", "application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json");
      byte[] body = c.getInputStream().readAllBytes();
      out.add(ImageSbom.digest(body));
      Json.read(new String(body, java.nio.charset.StandardCharsets.UTF_8)).path("layers")
          .forEach(l -> out.add(l.get("digest").asString()));
    }
    return out;
  }

  private static JsonNode manifest(String registry, String digest) throws Exception {
    HttpURLConnection c = (HttpURLConnection) new URL("http://" + registry + "/v2/demo/manifests/" + digest)
        .openConnection();
    c.setRequestProperty("Accept", "application/vnd.docker.distribution.manifest.v2+json");
    return Json.read(new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
  }
}
