package io.github.devplugin.compose.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.testing.ConfigXml;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of up and down that need no engine: ports, names, exports, the recorded state, readiness. */
class UpPartsTest {
  @TempDir
  Path tmp;

  private static final String ENV_EXAMPLE = "# comment\nCOMPOSE_PROJECT_NAME=notes\nPOSTGRES_DB=notes\n"
      + "DATABASE_PASSWORD=\n\nAPP_PORT=8080\nDEBUG_PORT=5005\nPOSTGRES_PORT=5432\nAPI_TOKEN=\n";

  private EffectiveConfig config(String compose) {
    ProjectInfo project = new ProjectInfo("it.devplugin", "notes-service", "1.0.0", "notes", null, null, List.of(),
        null, tmp, tmp.resolve("target"), tmp.resolve("target/classes"));
    return ConfigXml.load(project, "<service><name>notes</name><port>8081</port></service><database><name>notesdb"
        + "</name><user>app</user></database><compose>" + compose + "</compose>", "dev");
  }

  @Test
  void upSettingsHaveDefaultsAndAnUnknownCommandIsRefusedWithTheChoices() {
    EffectiveConfig c = config("");
    assertThat(c.compose().command()).isEqualTo("auto");
    assertThat(c.compose().randomPorts()).isFalse();
    assertThat(c.compose().upTimeout()).isEqualTo(300);
    assertThat(config("<command>docker-compose</command><randomPorts>true</randomPorts><upTimeout>60</upTimeout>")
        .compose()).extracting("command", "randomPorts", "upTimeout").containsExactly("docker-compose", true, 60);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config("<command>dokker</command>"))
        .isInstanceOf(io.github.devplugin.config.ConfigException.class)
        .hasMessageContaining("<compose><command>")
        .hasMessageContaining("'dokker' is not a compose implementation devplugin knows")
        .hasMessageContaining("use one of auto, docker, podman, docker-compose");
  }

  @Test
  void envExampleNamesThePortVariablesAndTheRequiredOnes() {
    EnvExample e = new EnvExample(ENV_EXAMPLE);
    assertThat(e.portVariables()).containsExactly("APP_PORT", "DEBUG_PORT", "POSTGRES_PORT");
    assertThat(e.requiredVariables()).containsExactly("DATABASE_PASSWORD", "API_TOKEN");
  }

  @Test
  void everyPortVariableGetsADistinctFreePort() throws Exception {
    Map<String, String> ports = PortAllocator.allocate(List.of("A_PORT", "B_PORT", "C_PORT", "D_PORT"));
    assertThat(ports).containsOnlyKeys("A_PORT", "B_PORT", "C_PORT", "D_PORT");
    assertThat(new HashSet<>(ports.values())).hasSize(4);
    for (String p : ports.values()) {
      // free: it can be bound again now
      try (java.net.ServerSocket s = new java.net.ServerSocket(Integer.parseInt(p), 1,
          java.net.InetAddress.getLoopbackAddress())) {
        assertThat(s.getLocalPort()).isEqualTo(Integer.parseInt(p));
      }
    }
  }

  @Test
  void projectNamesAreUniquePerRunAndKeepTheConfiguredPrefix() {
    EffectiveConfig c = config("<projectName>shop</projectName>");
    String a = UpGoal.projectName(c);
    String b = UpGoal.projectName(c);
    assertThat(a).matches("shop-up-[0-9a-f]{8}").isNotEqualTo(b);
    assertThat(UpGoal.projectName(config(""))).matches("notes-up-[0-9a-f]{8}");
  }

  @Test
  void exportsEveryPublishedPortAndTheDatabaseAndRedisAddresses() {
    EffectiveConfig c = config("");
    List<Engine.Container> containers = List.of(
        container("notes", Map.of("8081/tcp", new Engine.HostPort("127.0.0.1", 40001),
            "5005/tcp", new Engine.HostPort("127.0.0.1", 40002))),
        container("postgres", Map.of("5432/tcp", new Engine.HostPort("127.0.0.1", 40003))),
        container("redis", Map.of("6379/tcp", new Engine.HostPort("127.0.0.1", 40004))),
        container("migrate", Map.of()));
    assertThat(UpGoal.exports(c, "notes-up-1", containers)).containsExactly(
        Map.entry("devplugin.up.jdbcUrl", "jdbc:postgresql://127.0.0.1:40003/notesdb"),
        Map.entry("devplugin.up.jdbcUser", "app"),
        Map.entry("devplugin.up.notes.host", "127.0.0.1"),
        Map.entry("devplugin.up.notes.port", "40001"),
        Map.entry("devplugin.up.notes.port.5005", "40002"),
        Map.entry("devplugin.up.notes.port.8081", "40001"),
        Map.entry("devplugin.up.postgres.host", "127.0.0.1"),
        Map.entry("devplugin.up.postgres.port", "40003"),
        Map.entry("devplugin.up.postgres.port.5432", "40003"),
        Map.entry("devplugin.up.project", "notes-up-1"),
        Map.entry("devplugin.up.redis.host", "127.0.0.1"),
        Map.entry("devplugin.up.redis.port", "40004"),
        Map.entry("devplugin.up.redis.port.6379", "40004"),
        Map.entry("devplugin.up.redisUrl", "redis://127.0.0.1:40004"),
        Map.entry("devplugin.up.url", "http://127.0.0.1:40001"));
  }

  @Test
  void readinessOfHealthyRunningAndOneShotContainers() {
    assertThat(HealthWaiter.isReady(state("running", 0, "healthy"))).isTrue();
    assertThat(HealthWaiter.isReady(state("running", 0, ""))).isTrue();
    assertThat(HealthWaiter.isReady(state("exited", 0, ""))).isTrue();
    assertThat(HealthWaiter.isReady(state("running", 0, "starting"))).isFalse();
    assertThat(HealthWaiter.isReady(state("created", 0, ""))).isFalse();
    assertThat(HealthWaiter.failure(state("running", 0, "starting"))).isNull();
    assertThat(HealthWaiter.failure(state("exited", 3, ""))).isEqualTo("it exited with code 3");
    assertThat(HealthWaiter.failure(new Engine.Container("id", "p_notes_1", "notes", "running", 0, "unhealthy",
        List.of("exit 1: HTTP 503"), Map.of()))).isEqualTo("its health check failed (last: exit 1: HTTP 503)");
    assertThat(HealthWaiter.state(state("exited", 0, ""))).isEqualTo("exited 0");
    assertThat(HealthWaiter.state(state("running", 0, ""))).isEqualTo("running (no health check)");
  }

  @Test
  void aComposeUpOutOfTimeBlamesTheServiceStillWaitingOnItsHealthCheck() {
    Engine.Container migrate = state("running", 0, "");
    Engine.Container postgres = new Engine.Container("id", "p_postgres_1", "postgres", "running", 0, "starting",
        List.of(), Map.of());
    Commands.Result timedOut = new Commands.Result(Commands.TIMED_OUT, "Creating p_postgres_1 ... done");
    HealthWaiter.Failure f = UpGoal.upFailure(List.of(migrate, postgres), timedOut, java.time.Duration.ofSeconds(25));
    assertThat(f.container().service()).isEqualTo("postgres");
    assertThat(f.reason()).isEqualTo("it is still starting after 25 s");
    Engine.Container crashed = state("exited", 1, "");
    assertThat(UpGoal.upFailure(List.of(postgres, crashed), timedOut, java.time.Duration.ofSeconds(25)).reason())
        .isEqualTo("it exited with code 1");
    assertThat(UpGoal.upFailure(List.of(), new Commands.Result(1, "port is already allocated"),
        java.time.Duration.ofSeconds(25))).isEqualTo(new HealthWaiter.Failure(null, "it exited with code 1"));
  }

  @Test
  void theFixNamesTheTakenPortWithItsVariableAndTheMissingImageAsDockerSaysThem() {
    EffectiveConfig c = config("");
    HealthWaiter.Failure cli = new HealthWaiter.Failure(null, "it exited with code 1");
    Map<String, String> ports = UpGoal.hostPorts(new EnvExample(ENV_EXAMPLE), Map.of("APP_PORT", "41000"),
        Map.of("POSTGRES_PORT", "15432"));
    assertThat(ports).containsExactly(Map.entry("APP_PORT", "41000"), Map.entry("DEBUG_PORT", "5005"),
        Map.entry("POSTGRES_PORT", "15432"));
    // Docker's words for a taken port
    assertThat(UpGoal.fix(cli, new Commands.Result(1, "Error response from daemon: driver failed programming"
        + " external connectivity: Bind for 0.0.0.0:15432 failed: port is already allocated"), c, ports))
        .startsWith("host port 15432 (POSTGRES_PORT) is taken by another process: free it, set POSTGRES_PORT to a"
            + " free port, or set <compose><randomPorts>true</randomPorts> (-Ddevplugin.up.randomPorts=true)");
    // a port no variable publishes
    assertThat(UpGoal.fix(cli, new Commands.Result(1, "listen tcp4 127.0.0.1:9999: bind: address already in use"),
        c, ports)).startsWith("host port 9999 is taken by another process: free it, set the variable that publishes"
            + " it to a free port");
    // Docker's words for a missing image
    assertThat(UpGoal.fix(cli, new Commands.Result(1, "Error response from daemon: manifest for"
        + " registry.example/notes:1.0 not found: manifest unknown"), c, ports))
        .startsWith("an image is missing (registry.example/notes:1.0): neither the engine nor its registry has it.");
    assertThat(UpGoal.fix(cli, new Commands.Result(1, "Error response from daemon: pull access denied for notes,"
        + " repository does not exist or may require 'docker login'"), c, ports))
        .startsWith("an image is missing (notes): ");
  }

  @Test
  void theRecordedStackReadsBackAndSaysHowToTakeItDownByHand() {
    Path file = StackState.file(tmp.resolve("target/devplugin"));
    StackState s = new StackState("notes-up-1", "docker-compose", List.of("docker-compose"), "/w/compose",
        List.of("docker-compose.yml", "docker-compose.override.yml"), "unix:///run/podman/podman.sock",
        "DOCKER_HOST", List.of("DATABASE_PASSWORD"));
    s.write(file);
    assertThat(StackState.read(file)).contains(s);
    assertThat(s.manualDown()).isEqualTo("cd /w/compose && DOCKER_HOST=unix:///run/podman/podman.sock"
        + " DATABASE_PASSWORD=unused-by-down docker-compose -p notes-up-1 -f docker-compose.yml"
        + " -f docker-compose.override.yml down -v");
    StackState.delete(file);
    assertThat(StackState.read(file)).isEmpty();
  }

  private static Engine.Container container(String service, Map<String, Engine.HostPort> ports) {
    return new Engine.Container("id-" + service, "p_" + service + "_1", service, "running", 0, "healthy", List.of(),
        new java.util.TreeMap<>(ports));
  }

  private static Engine.Container state(String state, int exit, String health) {
    return new Engine.Container("id", "p_x_1", "x", state, exit, health, List.of(), Map.of());
  }
}
