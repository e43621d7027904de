package io.github.devplugin.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UserError;
import io.github.devplugin.image.ImageRecord;
import io.github.devplugin.sbom.TestImages;
import io.github.devplugin.sbom.TestRegistry;
import io.github.devplugin.testing.ConfigXml;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The scan gate on image tars written here: vulnerabilities, the allow-list, secrets and bad input. */
class ScanGoalTest {
  static final LocalDate TODAY = LocalDate.parse("2026-11-30");
  static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
      + "-----END OPENSSH PRIVATE KEY-----\n";

  @TempDir
  Path dir;

  private Path project(String textVersion, Map<String, byte[]> extra) throws Exception {
    Path p = dir.resolve("p-" + textVersion + "-" + extra.size());
    Map<String, byte[]> app = new LinkedHashMap<>();
    app.put("/app/libs/commons-text-" + textVersion + ".jar", TestImages.jar("org.apache.commons", "commons-text",
        textVersion));
    app.put("/app/libs/jackson-databind-2.15.2.jar", TestImages.jar("com.fasterxml.jackson.core", "jackson-databind",
        "2.15.2"));
    app.putAll(extra);
    Path tar = TestImages.dockerTar(p.resolve("target/devplugin/image.tar"), "{\"config\":{\"Env\":[\"PORT=8080\"]}}",
        List.of(TestImages.debianBase(), TestImages.layer(app)));
    new ImageRecord("example/app", List.of("1.0"), "sha256:" + "ab".repeat(32), "sha256:" + "cd".repeat(32),
        "example/app:1.0", "tar", tar.toString(), List.of("linux/amd64")).withEnvironment("dev")
        .write(ImageRecord.file(p.resolve("target/devplugin")));
    Path db = Files.createDirectories(p.resolve("osv/maven"));
    Files.writeString(db.resolve("GHSA-599f-7c49-w659.json"), Advisories.COMMONS_TEXT);
    Files.writeString(db.resolve("GHSA-57j2-w4cx-62h2.json"), Advisories.JACKSON_DATABIND);
    return p;
  }

  private static ScanReport scan(Path project, String scanXml, RecordingLog log) {
    return scan(project, scanXml, log, io.github.devplugin.core.Network.DIRECT);
  }

  private static ScanReport scan(Path project, String scanXml, RecordingLog log,
      io.github.devplugin.core.Network network) {
    return scan(project, scanXml, log, network, "");
  }

  static ScanReport scan(Path project, String scanXml, RecordingLog log,
      io.github.devplugin.core.Network network, String imageXml) {
    ProjectInfo info = new ProjectInfo("it.test", "demo", "1.0", "demo", "d", "https://example.com", List.of(),
        null, project, project.resolve("target"), project.resolve("target/classes"));
    EffectiveConfig c = ConfigXml.load(info, "<configuration><service><name>demo</name><mainClass>demo.App"
        + "</mainClass></service><database><enabled>false</enabled></database><image>" + imageXml + "<scan>" + scanXml
        + "</scan></image></configuration>", "dev");
    return ScanGoal.run(c, new Secrets(List.of(), id -> Optional.empty(), k -> null, new Masker()), log,
        VersionsTest.MAVEN, TODAY, Map.of(), network);
  }

  @Test
  void anAffectedDependencyFailsNamingTheAdvisoryAndTheFixedVersion() throws Exception {
    Path p = project("1.9", Map.of());
    assertThatThrownBy(() -> scan(p, "<database>osv</database>", new RecordingLog()))
        .isInstanceOf(ProblemsException.class)
        .hasMessageContaining("org.apache.commons:commons-text 1.9 (/app/libs/commons-text-1.9.jar): affected by"
            + " GHSA-599f-7c49-w659 (CVE-2022-42889), severity CRITICAL, fixed in 1.10.0.")
        .hasMessageContaining("upgrade to 1.10.0 or later")
        .hasMessageNotContaining("jackson-databind");
    JsonNode report = Json.read(Files.readString(p.resolve("target/devplugin/scan.json")));
    assertThat(report.get("vulnerabilities")).singleElement().satisfies(v -> {
      assertThat(v.get("id").asString()).isEqualTo("GHSA-599f-7c49-w659");
      assertThat(v.get("fixedIn").asString()).isEqualTo("1.10.0");
      assertThat(v.get("cvss").asString()).isEqualTo("9.8");
    });
    JsonNode sarif = Json.read(Files.readString(p.resolve("target/devplugin/scan.sarif")));
    assertThat(sarif.get("version").asString()).isEqualTo("2.1.0");
    assertThat(sarif.get("runs").get(0).get("results").get(0).get("ruleId").asString())
        .isEqualTo("GHSA-599f-7c49-w659");
  }

  @Test
  void theUpgradedDependencyPassesAndTheTableIsPrinted() throws Exception {
    Path p = project("1.10.0", Map.of());
    RecordingLog log = new RecordingLog();
    ScanReport report = scan(p, "<database>osv</database>", log);
    assertThat(report.vulnerabilities()).isEmpty();
    assertThat(log.contains("2 OSV records")).isTrue();
    // allowed: listed, not failing
    Path old = project("1.9", Map.of());
    Files.writeString(old.resolve("allow.txt"), "GHSA-599f-7c49-w659 2026-12-31 not on a reachable path\n");
    RecordingLog log2 = new RecordingLog();
    ScanReport low = scan(old, "<database>osv</database><failOn>CRITICAL</failOn><allowList>allow.txt</allowList>",
        log2);
    assertThat(low.failing()).isEmpty();
    assertThat(log2.text()).contains("PACKAGE", "FIXED IN", "org.apache.commons:commons-text  1.9", "1.10.0",
        "GHSA-599f-7c49-w659", "CRITICAL", "allowed until 2026-12-31 (allow-list line 1)");
  }

  @Test
  void anAllowListedAdvisoryPassesUntilItsExpiry() throws Exception {
    Path p = project("1.9", Map.of());
    Files.writeString(p.resolve("allow.txt"), "# reviewed\nCVE-2022-42889 2026-12-31 no interpolation of input\n");
    ScanReport report = scan(p, "<database>osv</database><allowList>allow.txt</allowList>", new RecordingLog());
    assertThat(report.failing()).isEmpty();
    assertThat(report.vulnerabilities()).singleElement().satisfies(v -> assertThat(v.allowedBy().line()).isEqualTo(2));
    Files.writeString(p.resolve("allow.txt"), "# reviewed\n\nCVE-2022-42889 2026-11-29 no interpolation of input\n");
    assertThatThrownBy(() -> scan(p, "<database>osv</database><allowList>allow.txt</allowList>", new RecordingLog()))
        .hasMessageContaining("allow.txt line 3: the entry for CVE-2022-42889 expired on 2026-11-29");
  }

  @Test
  void aPrivateKeyInALayerFailsTheSecretScanAlsoWithoutADatabase() throws Exception {
    Path p = project("1.10.0", Map.of("/app/keys/id_ed25519", TestImages.text(KEY),
        "/app/.env.example", TestImages.text("DB_PASSWORD=\n")));
    RecordingLog log = new RecordingLog();
    assertThatThrownBy(() -> scan(p, "", log)).isInstanceOf(ProblemsException.class)
        .hasMessageContaining("/app/keys/id_ed25519 line 1: holds a secret (rule private-key).")
        .hasMessageNotContaining(".env.example")
        .hasMessageNotContaining("b3BlbnNzaC1rZXktdjEAAAAA");
    assertThat(log.text()).contains("No vulnerability database is configured", "secret scan only");
  }

  @Test
  void noFindingsWithoutADatabaseSaysSo() throws Exception {
    Path p = project("1.9", Map.of());
    RecordingLog log = new RecordingLog();
    ScanReport report = scan(p, "", log);
    assertThat(report.databaseUsed()).isFalse();
    assertThat(Files.readString(p.resolve("target/devplugin/scan.json"))).contains("secret scan only");
  }

  @Test
  void badInputNamesTheElementAndTheFix() throws Exception {
    Path p = project("1.9", Map.of());
    assertThatThrownBy(() -> scan(p, "<database>no-such-dir</database>", new RecordingLog()))
        .isInstanceOf(UserError.class).hasMessageContaining("<image><scan><database>no-such-dir</database>")
        .hasMessageContaining("all.zip");
    Files.writeString(p.resolve("osv/maven/broken.json"), "{\"id\": \"GHSA-bad\", \"affected\": [{\"package\":"
        + " {\"ecosystem\": \"Maven\", \"name\": \"g:a\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": []}]}]}");
    assertThatThrownBy(() -> scan(p, "<database>osv</database>", new RecordingLog()))
        .isInstanceOf(ProblemsException.class)
        .hasMessageContaining("maven/broken.json: GHSA-bad: affected[0].ranges[0] has no 'events'");
    Files.writeString(p.resolve("osv/maven/broken.json"), "{ not json");
    assertThatThrownBy(() -> scan(p, "<database>osv</database>", new RecordingLog()))
        .hasMessageContaining("maven/broken.json");
    assertThatThrownBy(() -> scan(p, "<failOn>SEVERE</failOn>", new RecordingLog()))
        .hasMessageContaining("'SEVERE' is not a severity");
  }

  @Test
  void anOsvZipExportIsReadAsIs() throws Exception {
    Path p = project("1.9", Map.of());
    Path zip = p.resolve("maven-all.zip");
    try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new java.util.zip.ZipEntry("GHSA-599f-7c49-w659.json"));
      z.write(Advisories.COMMONS_TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      z.closeEntry();
    }
    assertThatThrownBy(() -> scan(p, "<database>maven-all.zip</database>", new RecordingLog()))
        .hasMessageContaining("GHSA-599f-7c49-w659");
  }

  /** A pushed image (the test base image) read back through a settings.xml proxy, by a name only the proxy knows. */
  @Test
  void aPushedImageIsReadThroughTheSettingsProxyAndNotOffline() throws Exception {
    TestRegistry registry = TestRegistry.fromEnvironment();
    String repository = registry.repository();
    byte[] manifest = new io.github.devplugin.sbom.RegistryClient(registry.address(), repository, true, null, null)
        .manifest(registry.tag()).body();
    String digest = "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(manifest));
    String image = "registry.proxy.invalid:" + registry.port() + "/" + repository;
    Path p = pushed(dir.resolve("pushed"), image, digest);
    try (io.github.devplugin.testing.RecordingProxy proxy = new io.github.devplugin.testing.RecordingProxy("alice",
        "s3cret-pw", Map.of("registry.proxy.invalid", "127.0.0.1"))) {
      io.github.devplugin.core.Network network = new io.github.devplugin.core.Network(false, List.of(
          new io.github.devplugin.core.Network.Proxy("corp", "http", "127.0.0.1", proxy.port(), null, "alice",
              "s3cret-pw")));
      // plain HTTP: the name is not loopback, so it is allowed by <insecure>
      ScanReport report = scan(p, "", new RecordingLog(), network, "<insecure>true</insecure>");
      assertThat(report.secrets()).isEmpty();
      assertThat(proxy.requests).contains("GET http://" + image.replace("/" + repository, "") + "/v2/" + repository
          + "/manifests/" + digest);
      assertThat(proxy.refused).isEmpty();

      io.github.devplugin.core.Network offline = new io.github.devplugin.core.Network(true, List.of());
      int before = proxy.requests.size();
      assertThatThrownBy(() -> scan(p, "", new RecordingLog(), offline, "<insecure>true</insecure>"))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("Maven runs offline (-o").hasMessageContaining(image)
          .hasMessageContaining("-Ddevplugin.image.target=tar");
      assertThat(proxy.requests).hasSize(before);
    }
  }
  /** A project whose {@code image.json} records {@code image@digest} pushed to its registry. */
  private static Path pushed(Path p, String image, String digest) {
    new ImageRecord(image, List.of("1.0"), digest, "sha256:" + "cd".repeat(32), image + "@" + digest, "registry",
        null, List.of("linux/amd64")).withEnvironment("dev").write(ImageRecord.file(p.resolve("target/devplugin")));
    return p;
  }

  /**
   * {@code scan} on its own (no {@code image} before it in the JVM) reading an HTTPS registry through a settings.xml
   * proxy with a login, in a JVM of its own ({@link ScanTunnelMain}: the JDK reads once per JVM whether Basic may
   * answer a tunnel's 407): the tunnel's CONNECT carries the login. The test registry speaks plain HTTP, so the TLS
   * handshake inside the tunnel then fails: what counts is that the proxy opened the tunnel.
   */
  @Test
  void scanOnItsOwnOpensAnHttpsTunnelThroughAProxyWithALogin() throws Exception {
    String registry = "registry.proxy.invalid:" + TestRegistry.fromEnvironment().port();
    Path p = pushed(dir.resolve("tunnel"), registry + "/team/app", "sha256:" + "ab".repeat(32));
    try (io.github.devplugin.testing.RecordingProxy proxy = new io.github.devplugin.testing.RecordingProxy("alice",
        "s3cret-pw", Map.of("registry.proxy.invalid", "127.0.0.1"))) {
      Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), ScanTunnelMain.class.getName(), p.toString(),
          String.valueOf(proxy.port()), "alice", "s3cret-pw").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(out).isZero();

      assertThat(proxy.requests).as(out).containsExactly("CONNECT " + registry);
      assertThat(out).startsWith("FAILED Cannot reach the registry " + registry + " (https): ")
          .doesNotContain("s3cret-pw");
    }
  }
}
