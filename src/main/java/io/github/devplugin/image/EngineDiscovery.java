package io.github.devplugin.image;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Finds the container engine (Docker Engine API, which Podman's {@code podman system service} serves too) the way the
 * docker CLI and podman find it, in this order:
 * <ol>
 *   <li>{@code <image><dockerHost>};</li>
 *   <li>the {@code DOCKER_HOST} environment variable;</li>
 *   <li>the Docker context named by {@code DOCKER_CONTEXT}, else the {@code currentContext} of
 *       {@code $DOCKER_CONFIG/config.json} ({@code ~/.docker/config.json}): its endpoint
 *       {@code Endpoints.docker.Host} in {@code contexts/meta/<sha256 of the name>/meta.json} (Docker Desktop,
 *       colima, OrbStack, Rancher Desktop create such contexts); the context {@code default} is the default socket;</li>
 *   <li>Podman's {@code CONTAINER_HOST};</li>
 *   <li>the sockets that exist of: {@code /var/run/docker.sock}, Podman's rootless
 *       {@code $XDG_RUNTIME_DIR/podman/podman.sock}, Podman's rootful {@code /run/podman/podman.sock}.</li>
 * </ol>
 * The first four are explicit choices: as with the docker CLI, an explicit choice is used alone, and the sockets after
 * it are not tried. Of the default sockets the first that answers {@code /_ping} is used. When none answers, one error
 * lists everything tried, in order, with why each failed, and how to fix it.
 */
public final class EngineDiscovery {
  /** The well-known sockets tried when nothing is chosen explicitly, in order ({@code %s}: XDG_RUNTIME_DIR). */
  public static final List<String> DEFAULT_SOCKETS = List.of("unix:///var/run/docker.sock",
      "unix://%s/podman/podman.sock", "unix:///run/podman/podman.sock");

  /** How to start an engine and point devplugin at it (the end of every "no engine" message). */
  public static final String START_ENGINE = "start Docker, or Podman's API (podman system service --time=0"
      + " unix://$XDG_RUNTIME_DIR/podman/podman.sock), and point DOCKER_HOST, a Docker context (docker context use"
      + " NAME) or <image><dockerHost> at its socket";

  private final Map<String, String> environment;
  private final Path home;
  private final List<String> defaultSockets;

  /**
   * @param environment the process environment
   * @param home the user's home ({@code ~/.docker} lives there unless {@code DOCKER_CONFIG} says otherwise)
   * @param defaultSockets the sockets tried last ({@link #DEFAULT_SOCKETS}; tests give their own)
   */
  public EngineDiscovery(Map<String, String> environment, Path home, List<String> defaultSockets) {
    this.environment = environment;
    this.home = home;
    this.defaultSockets = List.copyOf(defaultSockets);
  }

  /** Discovery on this machine: the process environment's variables, the user's home, the well-known sockets. */
  public static EngineDiscovery system(Map<String, String> environment) {
    return new EngineDiscovery(environment, Path.of(System.getProperty("user.home")), DEFAULT_SOCKETS);
  }

  /**
   * A place an engine may answer.
   *
   * @param host its address ({@code unix://...}, {@code tcp://...}), or null when the source names none usable
   * @param source where it came from, for messages
   * @param explicit chosen by the user (used alone)
   * @param problem why it cannot be used without trying (null: try it)
   */
  public record Candidate(String host, String source, boolean explicit, String problem) {}

  /** The engine found: its address and where that came from. */
  public record Found(String host, String source) {}

  /** The candidates, in order, up to and including the first explicit one. */
  public List<Candidate> candidates(String configured) {
    List<Candidate> out = new ArrayList<>();
    if (present(configured)) {
      out.add(new Candidate(configured, "<image><dockerHost>", true, null));
      return out;
    }
    if (present(environment.get("DOCKER_HOST"))) {
      out.add(new Candidate(environment.get("DOCKER_HOST"), "the DOCKER_HOST environment variable", true, null));
      return out;
    }
    Path dockerConfig = present(environment.get("DOCKER_CONFIG")) ? Path.of(environment.get("DOCKER_CONFIG"))
        : home.resolve(".docker");
    String context = null;
    String contextSource = null;
    if (present(environment.get("DOCKER_CONTEXT"))) {
      context = environment.get("DOCKER_CONTEXT");
      contextSource = "the DOCKER_CONTEXT environment variable";
    } else {
      Path config = dockerConfig.resolve("config.json");
      String current = currentContext(config);
      if (current != null) {
        context = current;
        contextSource = "currentContext in " + config;
      }
    }
    if (context != null && !"default".equals(context)) {
      out.add(contextCandidate(context, contextSource, dockerConfig));
      return out;
    }
    if (context != null) {
      out.add(new Candidate(defaultSockets.get(0), "Docker context 'default' (" + contextSource + ")", true, null));
      return out;
    }
    if (present(environment.get("CONTAINER_HOST"))) {
      out.add(new Candidate(environment.get("CONTAINER_HOST"), "Podman's CONTAINER_HOST environment variable", true,
          null));
      return out;
    }
    for (String socket : defaultSockets) {
      if (socket.contains("%s")) {
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (!present(runtime)) {
          out.add(new Candidate(null, "Podman's rootless socket " + socket.replace("%s", "$XDG_RUNTIME_DIR"), false,
              "XDG_RUNTIME_DIR is not set"));
          continue;
        }
        out.add(new Candidate(String.format(socket, runtime), "Podman's rootless socket (XDG_RUNTIME_DIR)", false,
            null));
      } else {
        out.add(new Candidate(socket, "the default socket", false, null));
      }
    }
    return out;
  }

  /**
   * What a search found: the engine, or null with every candidate tried, in order, and why each failed.
   *
   * @param tried one line per candidate that did not answer ({@code 1. unix:///... from DOCKER_HOST: refused})
   * @param explicitChoice the source of the one candidate tried when it was an explicit choice (nothing else was
   *     tried), else null
   */
  public record Search(Found found, List<String> tried, String explicitChoice) {
    public Search {
      tried = List.copyOf(tried);
    }

    /** The tried lines, each after {@code indent}, and after an explicit choice why nothing else was tried. */
    public String triedLines(String indent) {
      return indent + String.join("\n" + indent, tried) + (explicitChoice == null ? "" : "\n(" + explicitChoice
          + " chooses the engine, so nothing else was tried, as the docker CLI does.)");
    }
  }

  /**
   * The first candidate that answers.
   *
   * @param ping tries an address: null when the engine answered, else why not
   * @throws EnvironmentError listing every candidate tried, in order, and the fix
   */
  public Found find(String configured, Function<String, String> ping) {
    Search search = search(configured, ping);
    if (search.found() != null) {
      return search.found();
    }
    throw new EnvironmentError("No container engine answered. Tried, in order:\n" + search.triedLines("  ")
        + "\nFix: " + START_ENGINE + "; or build a tar instead with <image><target>tar</target>.");
  }

  /** Like {@link #find}, without throwing: the engine found, or everything tried. */
  public Search search(String configured, Function<String, String> ping) {
    List<Candidate> candidates = candidates(configured);
    List<String> tried = new ArrayList<>();
    for (Candidate c : candidates) {
      String problem = c.problem();
      if (problem == null && !c.host().startsWith("unix://") && !c.host().startsWith("tcp://")) {
        problem = "'" + c.host() + "' is not supported (only unix:// and tcp:// addresses are)";
      }
      if (problem == null && c.host().startsWith("unix://") && !c.explicit()
          && !Files.exists(Path.of(c.host().substring("unix://".length())))) {
        problem = "no socket there";
      }
      if (problem == null) {
        problem = ping.apply(c.host());
        if (problem == null) {
          return new Search(new Found(c.host(), c.source()), tried, null);
        }
      }
      tried.add((tried.size() + 1) + ". " + (c.host() == null ? "" : c.host() + " from ") + c.source() + ": "
          + problem);
    }
    boolean explicit = candidates.size() == 1 && candidates.get(0).explicit();
    return new Search(null, tried, explicit ? candidates.get(0).source() : null);
  }

  private Candidate contextCandidate(String name, String source, Path dockerConfig) {
    Path meta = dockerConfig.resolve("contexts").resolve("meta").resolve(sha256(name)).resolve("meta.json");
    String label = "Docker context '" + name + "' (" + source + ", " + meta + ")";
    if (!Files.isRegularFile(meta)) {
      return new Candidate(null, label, true, "the context does not exist (no meta.json). Fix: docker context ls"
          + " lists the contexts; docker context use NAME chooses one");
    }
    try {
      JsonNode host = Json.read(Files.readString(meta, StandardCharsets.UTF_8)).path("Endpoints").path("docker")
          .path("Host");
      if (!host.isString() || host.asString().isBlank()) {
        return new Candidate(null, label, true, "its meta.json has no Endpoints.docker.Host");
      }
      return new Candidate(host.asString(), label, true, null);
    } catch (IOException | JacksonException e) {
      return new Candidate(null, label, true, "its meta.json cannot be read: " + e.getMessage());
    }
  }

  /** {@code currentContext} of the docker CLI's config file, or null (no file, no such key, unreadable). */
  private static String currentContext(Path config) {
    if (!Files.isRegularFile(config)) {
      return null;
    }
    try {
      JsonNode current = Json.read(Files.readString(config, StandardCharsets.UTF_8)).path("currentContext");
      return current.isString() && !current.asString().isBlank() ? current.asString() : null;
    } catch (IOException | JacksonException e) {
      throw new UserError("The docker CLI's configuration " + config + " is not valid JSON (" + e.getMessage()
          + "). Fix: correct or remove it, or set DOCKER_HOST or <image><dockerHost>.");
    }
  }

  /** The directory name of a Docker context: the hex SHA-256 of its name. */
  static String sha256(String name) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
