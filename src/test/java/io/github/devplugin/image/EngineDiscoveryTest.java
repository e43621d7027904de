package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.EnvironmentError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine discovery in fake homes; the engine that answers is the test environment's Podman socket. */
class EngineDiscoveryTest {
  @TempDir
  Path home;

  private static String podman() {
    return TestProjects.env("DEVPLUGIN_TEST_PODMAN_SOCKET");
  }

  /** Writes a Docker context as {@code docker context create NAME --docker host=HOST} does. */
  private static void context(Path dockerConfig, String name, String host) throws Exception {
    Path dir = dockerConfig.resolve("contexts/meta").resolve(EngineDiscovery.sha256(name));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("meta.json"), "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":"
        + "{\"Host\":\"" + host + "\",\"SkipTLSVerify\":false}}}");
  }

  private EngineDiscovery discovery(Map<String, String> env, List<String> sockets) {
    return new EngineDiscovery(env, home, sockets);
  }

  private List<String> missingSockets() {
    return List.of("unix://" + home.resolve("no/docker.sock"), "unix://%s/podman/podman.sock",
        "unix://" + home.resolve("no/podman.sock"));
  }

  @Test
  void contextNamesAreHashedLikeTheDockerCli() {
    // the directory docker context create desktop-linux writes
    assertThat(EngineDiscovery.sha256("desktop-linux"))
        .isEqualTo("fe9c6bd7a66301f49ca9b6a70b217107cd1284598bfc254700c989b916da791e");
  }

  @Test
  void theCurrentContextOfTheDockerConfigIsFound() throws Exception {
    context(home.resolve(".docker"), "colima", podman());
    Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{},\"currentContext\":\"colima\"}");
    EngineClient engine = EngineClient.discover(null, discovery(Map.of(), missingSockets()));
    assertThat(engine.host()).isEqualTo(podman());
    assertThat(engine.source()).contains("Docker context 'colima'").contains("currentContext in");
  }

  @Test
  void dockerContextAndDockerConfigVariablesWinOverTheConfigFile() throws Exception {
    Path config = home.resolve("elsewhere");
    context(config, "orbstack", podman());
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\":\"gone\"}");
    Map<String, String> env = Map.of("DOCKER_CONFIG", config.toString(), "DOCKER_CONTEXT", "orbstack");
    EngineClient engine = EngineClient.discover(null, discovery(env, missingSockets()));
    assertThat(engine.host()).isEqualTo(podman());
    assertThat(engine.source()).contains("DOCKER_CONTEXT");
  }

  @Test
  void dockerHostWinsOverContextsAndAnExplicitChoiceIsUsedAlone() throws Exception {
    context(home.resolve(".docker"), "colima", podman());
    Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\":\"colima\"}");
    Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + home.resolve("stopped.sock"));
    assertThatThrownBy(() -> EngineClient.discover(null, discovery(env, List.of(podman()))))
        .isInstanceOf(EnvironmentError.class)
        .hasMessageContaining("1. unix://" + home.resolve("stopped.sock") + " from the DOCKER_HOST environment")
        .hasMessageContaining("so nothing else was tried").hasMessageNotContaining("2. ");
    assertThat(EngineClient.discover(podman(), discovery(env, List.of())).source())
        .isEqualTo("<image><dockerHost>");
  }

  @Test
  void podmansRootlessSocketIsFoundThroughXdgRuntimeDir() throws Exception {
    Path runtime = home.resolve("run");
    Files.createDirectories(runtime.resolve("podman"));
    Files.createSymbolicLink(runtime.resolve("podman/podman.sock"), Path.of(podman().substring("unix://".length())));
    EngineClient engine = EngineClient.discover(null, discovery(Map.of("XDG_RUNTIME_DIR", runtime.toString()),
        missingSockets()));
    assertThat(engine.host()).isEqualTo("unix://" + runtime.resolve("podman/podman.sock"));
    assertThat(engine.source()).contains("rootless");
    // CONTAINER_HOST, podman's own variable, is an explicit choice
    EngineClient viaContainerHost = EngineClient.discover(null, discovery(Map.of("CONTAINER_HOST", podman()),
        missingSockets()));
    assertThat(viaContainerHost.source()).contains("CONTAINER_HOST");
  }

  @Test
  void whenNothingAnswersEverythingTriedIsListedInOrderWithTheFix() throws Exception {
    Map<String, String> env = new HashMap<>();
    assertThatThrownBy(() -> EngineClient.discover(null, discovery(env, missingSockets())))
        .isInstanceOf(EnvironmentError.class)
        .hasMessageContaining("No container engine answered. Tried, in order:")
        .hasMessageContaining("1. unix://" + home.resolve("no/docker.sock") + " from the default socket: no socket")
        .hasMessageContaining("2. Podman's rootless socket unix://$XDG_RUNTIME_DIR/podman/podman.sock: XDG_RUNTIME_DIR"
            + " is not set")
        .hasMessageContaining("3. unix://" + home.resolve("no/podman.sock"))
        .hasMessageContaining("docker context use NAME").hasMessageContaining("<image><dockerHost>");
    // a context that does not exist is named with where it was chosen
    env.put("DOCKER_CONTEXT", "missing");
    assertThatThrownBy(() -> EngineClient.discover(null, discovery(env, missingSockets())))
        .isInstanceOf(EnvironmentError.class)
        .hasMessageContaining("Docker context 'missing' (the DOCKER_CONTEXT environment variable")
        .hasMessageContaining("the context does not exist");
  }
}
