package io.github.devplugin.compose.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.github.devplugin.image.EngineClient;
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

  @Test
  void noEngineListsEveryAddressTriedAndHowToStartOne() throws Exception {
    Path dead = socket("dead.sock");
    List<String> ran = new ArrayList<>();
    ComposeCli.Connector refusing = (host, source) -> {
      throw new EnvironmentError("connection refused");
    };
    assertThatThrownBy(() -> ComposeCli.discover("auto", null, Map.of("DOCKER_HOST", "unix://" + dead,
        "XDG_RUNTIME_DIR", tmp.resolve("run").toString()), answering(Map.of(), ran), refusing))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("No container engine answered")
        .hasMessageContaining("unix://" + dead + " (DOCKER_HOST): connection refused")
        .hasMessageContaining("the docker context: no docker CLI")
        .hasMessageContaining("unix://" + tmp.resolve("run/podman/podman.sock") + " (Podman's user socket): no such"
            + " socket")
        .hasMessageContaining("unix:///run/podman/podman.sock (Podman's system socket)")
        .hasMessageContaining("unix:///var/run/docker.sock (Docker's default socket)")
        .hasMessageContaining("podman system service");
  }

  @Test
  void triesDockerComposeV2ThenPodmanComposeThenDockerCompose() throws Exception {
    Path sock = socket("podman.sock");
    List<String> ran = new ArrayList<>();
    Commands commands = answering(Map.of(
        "podman compose version", new Commands.Result(125, "Error: unrecognized command `podman compose`"),
        "docker-compose version", new Commands.Result(0, "docker-compose version 1.29.2, build unknown\n")), ran);
    ComposeCli cli = ComposeCli.discover("auto", null, Map.of("DOCKER_HOST", "unix://" + sock), commands,
        ComposeCliTest::engine);
    assertThat(cli.name()).isEqualTo("docker-compose");
    assertThat(cli.version()).isEqualTo("docker-compose version 1.29.2, build unknown");
    assertThat(cli.engine().host()).isEqualTo("unix://" + sock);
    assertThat(ran).containsSubsequence("docker compose version", "podman compose version",
        "docker-compose version");
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
    assertThatThrownBy(() -> ComposeCli.discover("podman", "unix://" + sock, Map.of(), commands,
        ComposeCliTest::engine))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("podman compose version: not installed")
        .hasMessageContaining("<compose><command>podman</command> (-Ddevplugin.up.command=podman)")
        .hasMessageContaining("Docker Compose v2")
        .hasMessageNotContaining("docker-compose version:");
    assertThat(ran).doesNotContain("docker-compose version", "docker compose version");
  }

  @Test
  void theConfiguredHostComesBeforeDockerHostAndTheDockerContext() throws Exception {
    Path configured = socket("configured.sock");
    Path env = socket("env.sock");
    Path context = socket("context.sock");
    List<String> connected = new ArrayList<>();
    Commands commands = answering(Map.of(
        "docker context inspect", new Commands.Result(0, "unix://" + context + "\n"),
        "docker compose version", new Commands.Result(0, "Docker Compose version v2.40.0")), new ArrayList<>());
    ComposeCli.Connector connector = (host, source) -> {
      connected.add(source);
      if (!host.equals("unix://" + context)) {
        throw new EnvironmentError("refused");
      }
      return engine(host, source);
    };
    ComposeCli cli = ComposeCli.discover("auto", "unix://" + configured,
        Map.of("DOCKER_HOST", "unix://" + env), commands, connector);
    assertThat(connected).containsExactly("<image><dockerHost>", "DOCKER_HOST", "the current docker context");
    assertThat(cli.engine().source()).isEqualTo("the current docker context");
    assertThat(cli.name()).isEqualTo("docker compose");
  }
}
