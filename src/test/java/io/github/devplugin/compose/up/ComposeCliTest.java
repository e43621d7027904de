package io.github.devplugin.compose.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.github.devplugin.image.EngineClient;
import io.github.devplugin.image.EngineDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeCliTest {
  @TempDir
  Path tmp;

  /** Commands that answer by their first words; everything else is not installed. */
  private static Commands answering(Map<String, Commands.Result> answers, List<String> ran) {
    return (command, env, dir, timeout) -> {
      String line = String.join(" ", command);
      ran.add(line);
      return answers.entrySet().stream().filter(e -> line.startsWith(e.getKey())).map(Map.Entry::getValue)
          .findFirst().orElse(new Commands.Result(Commands.NOT_FOUND, command.get(0) + " is not on the PATH"));
    };
  }

  private static Engine engine(String host, String source) {
    return new Engine(EngineClient.at(host, source), source, true);
  }

  private Path socket(String name) throws Exception {
    return Files.createFile(tmp.resolve(name));
  }

  /** Discovery in this test's home, with the given default sockets. */
  private EngineDiscovery discovery(Map<String, String> env, String... sockets) {
    return new EngineDiscovery(env, tmp.resolve("home"), List.of(sockets));
  }

  private static final ComposeCli.Connector REFUSING = (host, source) -> {
    throw new EnvironmentError("connection refused");
  };

  @Test
  void noEngineListsEveryAddressAndEveryCliTriedAndHowToStartAndInstallOne() throws Exception {
    Path dead = socket("dead.sock");
    List<String> ran = new ArrayList<>();
    Commands commands = answering(Map.of(
        "docker-compose version", new Commands.Result(0, "docker-compose version 1.29.2, build unknown\n")), ran);
    EngineDiscovery discovery = discovery(Map.of("XDG_RUNTIME_DIR", tmp.resolve("run").toString()),
        "unix://" + dead, "unix://%s/podman/podman.sock", "unix://" + tmp.resolve("none.sock"));
    assertThatThrownBy(() -> ComposeCli.discover("auto", null, discovery, commands, REFUSING))
        .isInstanceOf(EnvironmentError.class)
        .hasMessageContaining("no container engine answered. Engines tried, in order:")
        .hasMessageContaining("1. unix://" + dead + " from the default socket: connection refused")
        .hasMessageContaining("2. unix://" + tmp.resolve("run/podman/podman.sock")
            + " from Podman's rootless socket (XDG_RUNTIME_DIR): no socket there")
        .hasMessageContaining("3. unix://" + tmp.resolve("none.sock") + " from the default socket: no socket there")
        .hasMessageContaining("Compose CLIs tried:\n  - docker compose version: not installed\n"
            + "  - podman compose version: not installed\n"
            + "  - docker-compose version: works (docker-compose version 1.29.2, build unknown)")
        .hasMessageContaining("podman system service")
        .hasMessageContaining("docker context use NAME")
        // a CLI works: only the engine is missing
        .hasMessageNotContaining("install a compose CLI");
    assertThatThrownBy(() -> ComposeCli.discover("auto", null, discovery, answering(Map.of(), ran), REFUSING))
        .hasMessageContaining("docker-compose version: not installed")
        .hasMessageContaining("and install a compose CLI: Docker Compose v2");
  }

  @Test
  void anExplicitEngineIsTheOnlyOneTriedAsTheDockerCliDoes() throws Exception {
    Path dead = socket("dead.sock");
    Path other = socket("other.sock");
    List<String> connected = new ArrayList<>();
    ComposeCli.Connector connector = (host, source) -> {
      connected.add(host);
      throw new EnvironmentError("connection refused");
    };
    assertThatThrownBy(() -> ComposeCli.discover("auto", null, discovery(Map.of("DOCKER_HOST", "unix://" + dead),
        "unix://" + other), answering(Map.of(), new ArrayList<>()), connector))
        .isInstanceOf(EnvironmentError.class)
        .hasMessageContaining("1. unix://" + dead + " from the DOCKER_HOST environment variable: connection refused")
        .hasMessageContaining("(the DOCKER_HOST environment variable chooses the engine, so nothing else was tried")
        .hasMessageNotContaining("2. ");
    assertThat(connected).containsExactly("unix://" + dead);
  }

  @Test
  void triesDockerComposeV2ThenPodmanComposeThenDockerCompose() throws Exception {
    Path sock = socket("podman.sock");
    List<String> ran = new ArrayList<>();
    Commands commands = answering(Map.of(
        "podman compose version", new Commands.Result(125, "Error: unrecognized command `podman compose`"),
        "docker-compose version", new Commands.Result(0, "docker-compose version 1.29.2, build unknown\n")), ran);
    ComposeCli cli = ComposeCli.discover("auto", null, discovery(Map.of("DOCKER_HOST", "unix://" + sock)),
        commands, ComposeCliTest::engine);
    assertThat(cli.name()).isEqualTo("docker-compose");
    assertThat(cli.version()).isEqualTo("docker-compose version 1.29.2, build unknown");
    assertThat(cli.engine().host()).isEqualTo("unix://" + sock);
    assertThat(cli.engine().source()).isEqualTo("the DOCKER_HOST environment variable");
    assertThat(ran).containsExactly("docker compose version", "podman compose version", "docker-compose version");
    assertThat(cli.command("p1", List.of("a.yml", "b.yml"), "up", "-d"))
        .containsExactly("docker-compose", "-p", "p1", "-f", "a.yml", "-f", "b.yml", "up", "-d");
    assertThat(cli.environment(Map.of("APP_PORT", "4000")))
        .containsEntry("DOCKER_HOST", "unix://" + sock).containsEntry("APP_PORT", "4000");
  }

  @Test
  void aChosenCommandIsTheOnlyOneTriedAndTheMessageNamesTheSetting() throws Exception {
    Path sock = socket("docker.sock");
    List<String> ran = new ArrayList<>();
    Commands commands = answering(Map.of(
        "docker-compose version", new Commands.Result(0, "docker-compose version 1.29.2")), ran);
    assertThatThrownBy(() -> ComposeCli.discover("podman", "unix://" + sock, discovery(Map.of()), commands,
        ComposeCliTest::engine))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("podman compose version: not installed")
        .hasMessageContaining("<compose><command>podman</command> (-Ddevplugin.up.command=podman)")
        .hasMessageContaining("Docker Compose v2")
        .hasMessageNotContaining("docker-compose version:");
    assertThat(ran).containsExactly("podman compose version");
  }

  @Test
  void theEngineOfTheCurrentDockerContextIsTheOneTheCliGets() throws Exception {
    Path context = socket("context.sock");
    Path meta = tmp.resolve("home/.docker/contexts/meta")
        // the directory docker context create desktop-linux writes: the SHA-256 of the name
        .resolve("fe9c6bd7a66301f49ca9b6a70b217107cd1284598bfc254700c989b916da791e");
    Files.createDirectories(meta);
    Files.writeString(meta.resolve("meta.json"), "{\"Name\":\"desktop-linux\",\"Endpoints\":{\"docker\":{\"Host\":"
        + "\"unix://" + context + "\"}}}");
    Files.writeString(tmp.resolve("home/.docker/config.json"), "{\"currentContext\":\"desktop-linux\"}");
    List<String> connected = new ArrayList<>();
    Commands commands = answering(Map.of(
        "docker compose version", new Commands.Result(0, "Docker Compose version v2.40.0")), new ArrayList<>());
    ComposeCli.Connector connector = (host, source) -> {
      connected.add(host);
      return engine(host, source);
    };
    ComposeCli cli = ComposeCli.discover("auto", null, discovery(Map.of(), "unix://" + socket("default.sock")),
        commands, connector);
    assertThat(connected).containsExactly("unix://" + context);
    assertThat(cli.engine().source()).startsWith("Docker context 'desktop-linux' (currentContext in ");
    assertThat(cli.environment(Map.of())).containsEntry("DOCKER_HOST", "unix://" + context)
        .containsEntry("CONTAINER_HOST", "unix://" + context);
    assertThat(cli.name()).isEqualTo("docker compose");
  }
}
