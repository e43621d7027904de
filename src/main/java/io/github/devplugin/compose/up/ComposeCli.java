package io.github.devplugin.compose.up;

import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.github.devplugin.image.EngineDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compose implementation {@code up} and {@code down} run, and the engine it talks to.
 *
 * <p>Engine: {@link EngineDiscovery}, the one discovery order of devplugin ({@code <image><dockerHost>},
 * {@code DOCKER_HOST}, the Docker context, {@code CONTAINER_HOST}, the Docker and Podman sockets), proven to answer
 * {@code /_ping}.
 *
 * <p>CLI, in this order unless {@code <compose><command>} names one: {@code docker compose} (Compose v2),
 * {@code podman compose} (Podman 4.7+ and its provider), {@code docker-compose} (1.x, or v2 standalone). Each gets
 * {@code DOCKER_HOST} and {@code CONTAINER_HOST} set to the engine found, so that the CLI and devplugin see the same
 * containers. When no engine answers or no CLI works, one message lists every engine address and every CLI tried.
 *
 * @param name how the CLI is named in messages, e.g. {@code docker compose}
 * @param executable the command before the compose arguments, e.g. {@code [docker, compose]}
 * @param version what its {@code version} printed
 */
public record ComposeCli(String name, List<String> executable, String version, Engine engine) {

  /** {@code <compose><command>} value to the executable, in the order {@code auto} tries them. */
  static final Map<String, List<String>> CANDIDATES = candidates();

  private static Map<String, List<String>> candidates() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("docker", List.of("docker", "compose"));
    m.put("podman", List.of("podman", "compose"));
    m.put("docker-compose", List.of("docker-compose"));
    return m;
  }

  /** Opens a connection to an engine address; {@link Engine#connect} outside tests. */
  public interface Connector {
    Engine connect(String host, String source);
  }

  /**
   * Finds the engine, then the CLI.
   *
   * @param choice {@code <compose><command>}: {@code auto} or a key of {@link #CANDIDATES}
   * @param configuredHost {@code <image><dockerHost>}, or null
   * @param discovery where engines are looked for ({@link EngineDiscovery#system} outside tests)
   * @throws EnvironmentError when no engine answers, listing every address and every CLI tried
   * @throws UserError when no CLI works, listing every CLI tried and how to install one
   */
  public static ComposeCli discover(String choice, String configuredHost, EngineDiscovery discovery,
      Commands commands, Connector connector) {
    Engine[] answered = new Engine[1];
    EngineDiscovery.Search search = discovery.search(configuredHost, host -> {
      try {
        answered[0] = connector.connect(host, host);
        return null;
      } catch (RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
    });
    Engine engine = search.found() == null ? null : answered[0].from(search.found().source());
    Map<String, String> env = engine == null ? Map.of() : engineEnvironment(engine);
    List<String> cliTried = new ArrayList<>();
    for (Map.Entry<String, List<String>> c : CANDIDATES.entrySet()) {
      if (!choice.equals("auto") && !choice.equals(c.getKey())) {
        continue;
      }
      List<String> probe = new ArrayList<>(c.getValue());
      probe.add("version");
      Commands.Result r = commands.run(probe, env, null, Duration.ofSeconds(60));
      String name = String.join(" ", c.getValue());
      String version = r.output().strip().lines().findFirst().orElse("");
      if (r.ok() && engine != null) {
        return new ComposeCli(name, c.getValue(), version, engine);
      }
      cliTried.add(name + " version: " + (r.ok() ? "works (" + version + ")" : r.exit() == Commands.NOT_FOUND
          ? "not installed" : "exit " + r.exit() + ": " + r.tail(2).replace('\n', ' ')));
    }
    String clis = "Compose CLIs tried" + (choice.equals("auto") ? "" : " (" + OverrideProperties.setting(
        "compose.command", choice) + ")") + ":\n  - " + String.join("\n  - ", cliTried);
    if (engine == null) {
      throw new EnvironmentError("devplugin:up: no container engine answered. Engines tried, in order:\n"
          + search.triedLines("  ") + "\n" + clis + "\nFix: " + EngineDiscovery.START_ENGINE
          + (cliTried.stream().anyMatch(t -> t.contains(": works (")) ? "." : "; and " + INSTALL_CLI + "."));
    }
    throw new UserError("No compose implementation works" + (choice.equals("auto") ? "" : " for "
        + OverrideProperties.setting("compose.command", choice)) + " (engine: " + engine.describe()
        + "). " + clis + "\nFix: " + INSTALL_CLI
        + (choice.equals("auto") ? "" : ", or choose another with " + OverrideProperties.setting("compose.command")
            + " (auto tries " + String.join(", ", CANDIDATES.keySet()) + " in this order)") + ".");
  }

  /** How to install a compose CLI. */
  static final String INSTALL_CLI = "install a compose CLI: Docker Compose v2 (the docker-compose-plugin package:"
      + " docker compose), docker-compose (apt-get install docker-compose, or the v2 standalone binary), or Podman"
      + " 4.7+ with a compose provider (podman compose)";

  /** The variables through which the CLIs find the engine, set to the one devplugin found. */
  static Map<String, String> engineEnvironment(Engine engine) {
    return Map.of("DOCKER_HOST", engine.host(), "CONTAINER_HOST", engine.host());
  }

  /** The environment the CLI runs with: the engine's address, then {@code variables}. */
  public Map<String, String> environment(Map<String, String> variables) {
    Map<String, String> env = new LinkedHashMap<>(engineEnvironment(engine));
    env.put("COMPOSE_HTTP_TIMEOUT", "300");
    env.putAll(variables);
    return env;
  }

  /** {@code <executable> -p <project> -f <file>... <args>}. */
  public List<String> command(String project, List<String> files, String... args) {
    List<String> cmd = new ArrayList<>(executable);
    cmd.add("-p");
    cmd.add(project);
    for (String f : files) {
      cmd.add("-f");
      cmd.add(f);
    }
    cmd.addAll(List.of(args));
    return cmd;
  }
}
