package io.github.devplugin.compose.up;

import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.UserError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compose implementation {@code up} and {@code down} run, and the engine it talks to, found the way the CLIs find
 * theirs.
 *
 * <p>Engine, first that answers {@code /_ping}: {@code <image><dockerHost>}; {@code DOCKER_HOST}; the current docker
 * context ({@code docker context inspect}, which honours {@code DOCKER_CONTEXT}); {@code CONTAINER_HOST} (Podman's
 * remote); Podman's sockets ({@code $XDG_RUNTIME_DIR/podman/podman.sock}, {@code /run/podman/podman.sock}); Docker's
 * default socket {@code /var/run/docker.sock}.
 *
 * <p>CLI, in this order unless {@code <compose><command>} names one: {@code docker compose} (Compose v2),
 * {@code podman compose} (Podman 4.7+ and its provider), {@code docker-compose} (1.x, or v2 standalone). Each gets
 * {@code DOCKER_HOST} and {@code CONTAINER_HOST} set to the engine found, so that the CLI and devplugin see the same
 * containers.
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
   * @param environment this process's environment
   * @throws UserError listing everything tried when no engine answers or no CLI works
   */
  public static ComposeCli discover(String choice, String configuredHost, Map<String, String> environment,
      Commands commands, Connector connector) {
    List<String> tried = new ArrayList<>();
    Engine engine = findEngine(configuredHost, environment, commands, connector, tried);
    if (engine == null) {
      throw new UserError("No container engine answered. Tried, in order:\n  - " + String.join("\n  - ", tried)
          + "\nFix: start Docker (or Podman's API: podman system service --time=0 unix:///run/podman/podman.sock),"
          + " and point DOCKER_HOST (or <image><dockerHost>) at its socket if it is not one of these.");
    }
    Map<String, String> env = engineEnvironment(engine);
    List<String> cliTried = new ArrayList<>();
    for (Map.Entry<String, List<String>> c : CANDIDATES.entrySet()) {
      if (!choice.equals("auto") && !choice.equals(c.getKey())) {
        continue;
      }
      List<String> probe = new ArrayList<>(c.getValue());
      probe.add("version");
      Commands.Result r = commands.run(probe, env, null, Duration.ofSeconds(60));
      String name = String.join(" ", c.getValue());
      if (r.ok()) {
        return new ComposeCli(name, c.getValue(), r.output().strip().lines().findFirst().orElse(""), engine);
      }
      cliTried.add(name + " version: " + (r.exit() == Commands.NOT_FOUND ? "not installed"
          : "exit " + r.exit() + ": " + r.tail(2).replace('\n', ' ')));
    }
    throw new UserError("No compose implementation works" + (choice.equals("auto") ? "" : " for "
        + OverrideProperties.setting("compose.command", choice)) + " (engine: " + engine.describe()
        + "). Tried:\n  - " + String.join("\n  - ", cliTried) + "\nFix: install one: Docker Compose v2 (the"
        + " docker-compose-plugin package: docker compose), docker-compose (apt-get install docker-compose, or the v2"
        + " standalone binary), or Podman 4.7+ with a compose provider (podman compose)"
        + (choice.equals("auto") ? "" : ", or choose another with " + OverrideProperties.setting("compose.command")
            + " (auto tries " + String.join(", ", CANDIDATES.keySet()) + " in this order)") + ".");
  }

  private static Engine findEngine(String configuredHost, Map<String, String> environment, Commands commands,
      Connector connector, List<String> tried) {
    Map<String, String> candidates = new LinkedHashMap<>();
    if (configuredHost != null) {
      candidates.put(configuredHost, "<image><dockerHost>");
    }
    putIfSet(candidates, environment.get("DOCKER_HOST"), "DOCKER_HOST");
    Commands.Result context = commands.run(List.of("docker", "context", "inspect", "--format",
        "{{.Endpoints.docker.Host}}"), Map.of(), null, Duration.ofSeconds(30));
    if (context.ok()) {
      putIfSet(candidates, context.output().strip(), "the current docker context");
    } else {
      tried.add("the docker context: " + (context.exit() == Commands.NOT_FOUND ? "no docker CLI"
          : "docker context inspect failed: " + context.tail(1)));
    }
    putIfSet(candidates, environment.get("CONTAINER_HOST"), "CONTAINER_HOST");
    String runtime = environment.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank()) {
      putIfSet(candidates, "unix://" + Path.of(runtime, "podman", "podman.sock"), "Podman's user socket");
    }
    putIfSet(candidates, "unix:///run/podman/podman.sock", "Podman's system socket");
    putIfSet(candidates, "unix:///var/run/docker.sock", "Docker's default socket");
    for (Map.Entry<String, String> c : candidates.entrySet()) {
      String host = c.getKey();
      if (!host.startsWith("unix://") && !host.startsWith("tcp://")) {
        tried.add(host + " (" + c.getValue() + "): not a unix:// or tcp:// address");
        continue;
      }
      if (host.startsWith("unix://") && !java.nio.file.Files.exists(Path.of(host.substring("unix://".length())))) {
        tried.add(host + " (" + c.getValue() + "): no such socket");
        continue;
      }
      try {
        return connector.connect(host, c.getValue());
      } catch (RuntimeException e) {
        tried.add(host + " (" + c.getValue() + "): " + e.getMessage());
      }
    }
    return null;
  }

  private static void putIfSet(Map<String, String> candidates, String host, String source) {
    if (host != null && !host.isBlank()) {
      candidates.putIfAbsent(host.strip(), source);
    }
  }

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
