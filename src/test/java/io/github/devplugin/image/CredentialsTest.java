package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry credentials from a Docker credential helper and from settings.xml servers, against a login registry. */
class CredentialsTest {
  @TempDir
  Path tmp;

  private String previous;

  @BeforeEach
  void overHttp() {
    previous = System.getProperty("sendCredentialsOverHttp");
    System.setProperty("sendCredentialsOverHttp", "true"); // the test registry is plain HTTP on loopback
  }

  @AfterEach
  void restore() {
    if (previous == null) {
      System.clearProperty("sendCredentialsOverHttp");
    } else {
      System.setProperty("sendCredentialsOverHttp", previous);
    }
  }

  private ImageRecord push(String imageXml, Secrets secrets, RecordingLog log) throws Exception {
    return push(imageXml, secrets, log, "x", true);
  }

  private ImageRecord push(String imageXml, Secrets secrets, RecordingLog log, String message, boolean force)
      throws Exception {
    Path project = TestProjects.project(tmp.resolve("p"), Map.of("demo.App", TestProjects.app("demo", "App",
        message)));
    EffectiveConfig c = TestProjects.config(TestProjects.info(project, "1.0.0"),
        "<configuration><service><name>demo</name><mainClass>demo.App</mainClass></service>"
            + "<database><enabled>false</enabled></database><image><from>"
            + TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE") + "</from><to>"
            + TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY") + "/test/image-credentials</to>" + imageXml
            + "</image></configuration>", "dev");
    return ImageGoal.run(c, TestProjects.inputs(project), secrets, log, tmp.resolve("cache"), Map.of(), force);
  }

  @Test
  void aCredentialHelperProvidesTheLogin() throws Exception {
    Path helper = tmp.resolve("docker-credential-devplugin-test");
    Files.writeString(helper, "#!/bin/sh\ncat >/dev/null\nprintf '{\"Username\":\"%s\",\"Secret\":\"%s\"}' '"
        + TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY_USER") + "' '"
        + TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY_PASSWORD") + "'\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Secrets none = new Secrets(List.of(), id -> Optional.empty(), k -> null, new Masker());
    ImageRecord r = push("<credHelper>" + helper + "</credHelper>", none, new RecordingLog());
    assertThat(r.digest()).startsWith("sha256:");
  }

  @Test
  void aSettingsServerProvidesTheLoginAndItsPasswordIsMasked() throws Exception {
    String registry = TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY");
    String password = TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY_PASSWORD");
    Masker masker = new Masker();
    Secrets servers = new Secrets(List.of(), id -> id.equals("team-registry") ? Optional.of(
        new Secrets.ServerCredentials(TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY_USER"), password, null, null))
        : Optional.empty(), k -> null, masker);
    RecordingLog log = new RecordingLog();
    ImageRecord r = push("<serverId>team-registry</serverId>", servers, log);
    assertThat(r.reference()).startsWith(registry + "/test/image-credentials@sha256:");
    assertThat(log.contains("Credentials for " + registry + ": settings.xml server 'team-registry'.")).isTrue();
    // the real log (debug included) and every file the goal wrote never carry the password
    assertThat(log.text()).doesNotContain(password);
    assertThat(log.lines).anyMatch(l -> l.startsWith("DEBUG"));
    assertNotInFiles(tmp.resolve("p/target"), password);

    // a wrong password: refused by the registry, and neither the message nor the log carries it
    String wrong = "wrong-" + password + "-x";
    Secrets wrongServer = new Secrets(List.of(), id -> Optional.of(new Secrets.ServerCredentials(
        TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY_USER"), wrong, null, null)), k -> null, new Masker());
    RecordingLog failed = new RecordingLog();
    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
        () -> push("<serverId>team-registry</serverId>", wrongServer, failed));
    assertThat(refused).isNotNull();
    assertThat(refused.getMessage()).contains("team-registry").doesNotContain(wrong);
    assertThat(failed.text()).doesNotContain(wrong);
    assertNotInFiles(tmp.resolve("p/target"), wrong);

    assertThatThrownBy(() -> push("<serverId>missing-server</serverId>", servers, new RecordingLog()))
        .isInstanceOf(UserError.class).hasMessageContaining("settings.xml server 'missing-server', which does not exist");
  }

  @Test
  void anIncrementalPushLogsInWithTheSameServerAndKeepsThePasswordOutOfItsState() throws Exception {
    String password = TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY_PASSWORD");
    Secrets servers = new Secrets(List.of(), id -> id.equals("team-registry") ? Optional.of(
        new Secrets.ServerCredentials(TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY_USER"), password, null, null))
        : Optional.empty(), k -> null, new Masker());
    ImageRecord first = push("<serverId>team-registry</serverId>", servers, new RecordingLog(), "one", false);
    RecordingLog log = new RecordingLog();
    ImageRecord second = push("<serverId>team-registry</serverId>", servers, log, "two", false);
    assertThat(log.contains("(incrementally: only the classes layer changed since " + first.digest())).isTrue();
    assertThat(second.digest()).isNotEqualTo(first.digest());
    assertThat(log.text()).doesNotContain(password);
    assertThat(tmp.resolve("p/target/devplugin/stamps/image.push")).isRegularFile();
    assertNotInFiles(tmp.resolve("p/target"), password);
    // the registry serves it: the manifest by tag is the one pushed
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://"
        + TestProjects.env("DEVPLUGIN_TEST_AUTH_REGISTRY") + "/v2/test/image-credentials/manifests/1.0.0")
        .openConnection();
    c.setRequestMethod("HEAD");
    c.setRequestProperty("Accept", "application/vnd.docker.distribution.manifest.v2+json");
    c.setRequestProperty("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((TestProjects.env(
        "DEVPLUGIN_TEST_AUTH_REGISTRY_USER") + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(c.getResponseCode()).isEqualTo(200);
    assertThat(c.getHeaderField("Docker-Content-Digest")).isEqualTo(second.digest());

    // without -DsendCredentialsOverHttp=true the login does not go over plain HTTP: no incremental push, and
    // jib-core's refusal names the fix
    System.clearProperty("sendCredentialsOverHttp");
    RecordingLog refused = new RecordingLog();
    assertThatThrownBy(() -> push("<serverId>team-registry</serverId>", servers, refused, "three", false))
        .isInstanceOf(UserError.class).hasMessageContaining("-DsendCredentialsOverHttp=true");
    assertThat(refused.contains("incrementally")).isFalse();
    assertThat(refused.contains("No incremental push: credentials would go over plain HTTP")).isTrue();
  }

  private static void assertNotInFiles(Path dir, String secret) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as("%s holds the password", f).doesNotContain(secret);
      }
    }
  }
}
