package io.github.devplugin.compose.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.ConfigXml;
import io.github.devplugin.testing.RecordingLog;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up} and {@code down} on the test environment's Podman API with Debian's docker-compose: the faults a user
 * meets (a host port taken, an image missing) give an error naming the fix and leave nothing running, and a stack
 * whose {@code down} never ran is taken down by {@link StackGuard}. Everything is checked through the engine.
 */
class UpEngineTest {
  private static final Pattern PROJECT = Pattern.compile("project ([a-z0-9-]+-up-[0-9a-f]{8})");

  @TempDir
  Path tmp;

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException(name + " is not set: the test environment is missing. Run scripts/test-env.sh"
          + " up and eval \"$(scripts/test-env.sh env)\" before ./mvnw verify.");
    }
    return v;
  }

  private static String socket() {
    return env("DEVPLUGIN_TEST_PODMAN_SOCKET");
  }

  /** A project whose compose directory holds {@code compose} and {@code envExample}, on the test Podman. */
  private EffectiveConfig project(String name, String compose, String envExample) throws Exception {
    ProjectInfo project = new ProjectInfo("it.devplugin", name, "1.0.0", name, null, null, List.of(), null, tmp,
        tmp.resolve("target"), tmp.resolve("target/classes"));
    EffectiveConfig c = ConfigXml.load(project, "<service><name>" + name + "</name><port>8080</port></service>"
        + "<image><dockerHost>" + socket() + "</dockerHost></image><compose><command>docker-compose</command>"
        + "<upTimeout>120</upTimeout><projectName>" + name + "</projectName></compose>", "dev");
    Path dir = Path.of(c.compose().outputDirectory());
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("docker-compose.yml"), compose);
    Files.writeString(dir.resolve(".env.example"), envExample);
    return c;
  }

  private static UpGoal.Input input(EffectiveConfig c, boolean guard) {
    return new UpGoal.Input(c, null, new Secrets(c.secrets(), id -> Optional.empty(), v -> null, new Masker()),
        System.getenv(), guard);
  }

  private static String projectIn(String text) {
    Matcher m = PROJECT.matcher(text);
    assertThat(m.find()).as("a project name in: %s", text).isTrue();
    return m.group(1);
  }

  /** Nothing of the project is left in the engine, and nothing of it is recorded or watched. */
  private void assertNothingLeft(String project, EffectiveConfig c) {
    Engine engine = Engine.connect(socket(), "test");
    assertThat(engine.containers(project)).as("containers of %s", project).isEmpty();
    assertThat(engine.networks(project)).as("networks of %s", project).isEmpty();
    assertThat(engine.volumes(project)).as("volumes of %s", project).isEmpty();
    assertThat(StackState.file(c.project().devpluginDirectory())).doesNotExist();
    assertThat(StackGuard.watched()).doesNotContain(project);
  }

  @Test
  void aHostPortTakenByAnotherProcessIsNamedWithItsVariableAndNothingIsLeft() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      EffectiveConfig c = project("upfaults-port", "services:\n  redis:\n    image: " + env(
          "DEVPLUGIN_TEST_REDIS_IMAGE") + "\n    ports:\n      - \"127.0.0.1:${REDIS_PORT:-" + port + "}:6379\"\n",
          "REDIS_PORT=" + port + "\n");
      RecordingLog log = new RecordingLog();
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> UpGoal.run(input(c, true), log));
      assertThat(thrown).isInstanceOf(UserError.class)
          .hasMessageContaining("Everything of project upfaults-port-up-")
          .hasMessageContaining("Fix: host port " + port + " (REDIS_PORT) is taken by another process: free it, set"
              + " REDIS_PORT to a free port, or set <compose><randomPorts>true</randomPorts>"
              + " (-Ddevplugin.up.randomPorts=true)");
      assertNothingLeft(projectIn(thrown.getMessage()), c);
    }
  }

  @Test
  void anImageNeitherLocalNorPullableIsNamedAndNothingIsLeft() throws Exception {
    String missing = env("DEVPLUGIN_TEST_REGISTRY") + "/it-upfaults/missing:1";
    EffectiveConfig c = project("upfaults-image", "services:\n  redis:\n    image: " + env(
        "DEVPLUGIN_TEST_REDIS_IMAGE") + "\n  app:\n    image: " + missing + "\n", "");
    RecordingLog log = new RecordingLog();
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> UpGoal.run(input(c, true), log));
    assertThat(thrown).isInstanceOf(UserError.class)
        .hasMessageContaining("Everything of project upfaults-image-up-")
        .hasMessageContaining("Fix: an image is missing (" + missing + "): neither the engine nor its registry has"
            + " it. Build the service's with devplugin:image (package phase)");
    assertNothingLeft(projectIn(thrown.getMessage()), c);
  }

  @Test
  void aStackWhoseDownNeverRanIsTakenDownByTheGuardAndDownReleasesIt() throws Exception {
    EffectiveConfig c = project("upguard", "services:\n  redis:\n    image: " + env("DEVPLUGIN_TEST_REDIS_IMAGE")
        + "\n    volumes:\n      - data:/data\nvolumes:\n  data: {}\n", "");
    RecordingLog log = new RecordingLog();
    String project = UpGoal.run(input(c, true), log).state().project();
    Engine engine = Engine.connect(socket(), "test");
    assertThat(engine.containers(project)).extracting(Engine.Container::service).containsExactly("redis");
    assertThat(StackGuard.watched()).contains(project);
    // what the JVM's shutdown hook runs when the build ends before devplugin:down
    assertThat(StackGuard.takeDownLeft()).contains(project);
    assertThat(log.text()).contains("devplugin:up: the build ended before devplugin:down ran for project " + project)
        .contains("devplugin:up: removed project " + project + ": 1 containers [redis], 1 networks, 1 volumes.");
    assertNothingLeft(project, c);

    // the usual path: down takes the stack down and releases it; the guard then has nothing to do
    String second = UpGoal.run(input(c, true), log).state().project();
    assertThat(StackGuard.watched()).contains(second);
    assertThat(DownGoal.run(c.project().devpluginDirectory(), false, log)).isPresent();
    assertThat(StackGuard.takeDownLeft()).doesNotContain(second);
    assertNothingLeft(second, c);

    // a stack up without a later down (mvn devplugin:up, -Ddevplugin.keep) is not watched
    String kept = UpGoal.run(input(c, false), log).state().project();
    assertThat(StackGuard.watched()).doesNotContain(kept);
    assertThat(engine.containers(kept)).hasSize(1);
    DownGoal.run(c.project().devpluginDirectory(), false, log);
    assertNothingLeft(kept, c);
  }
}
