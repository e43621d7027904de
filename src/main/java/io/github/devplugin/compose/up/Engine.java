package io.github.devplugin.compose.up;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Json;
import io.github.devplugin.image.EngineClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The container engine a compose CLI talks to, through its Docker-compatible API (Docker, or Podman's
 * {@code podman system service}): what {@code up} waits on and {@code down} checks, found by the compose project's
 * label {@code com.docker.compose.project}, which every compose implementation sets on containers, networks and
 * volumes.
 */
public final class Engine {
  /** The label every compose implementation puts on a project's containers, networks and volumes. */
  public static final String PROJECT_LABEL = "com.docker.compose.project";
  /** The label naming a container's compose service. */
  public static final String SERVICE_LABEL = "com.docker.compose.service";

  private final EngineClient client;
  private final String source;
  private final boolean podman;

  Engine(EngineClient client, String source, boolean podman) {
    this.client = client;
    this.source = source;
    this.podman = podman;
  }

  /**
   * Connects to the engine at {@code host}; throws {@link EnvironmentError} with the reason when it does not answer.
   *
   * @param source where the address came from, e.g. {@code DOCKER_HOST}
   */
  public static Engine connect(String host, String source) {
    EngineClient client = EngineClient.at(host, source);
    EngineClient.Response ping = client.call("GET", "/_ping");
    if (ping.status() != 200) {
      throw new EnvironmentError("answered HTTP " + ping.status() + " to /_ping");
    }
    EngineClient.Response version = client.call("GET", "/version");
    boolean podman = version.body().contains("\"Podman Engine\"");
    return new Engine(client, source, podman);
  }

  /** The same connection, found through {@code source} (named in messages). */
  Engine from(String source) {
    return new Engine(EngineClient.at(client.host(), source), source, podman);
  }

  public String host() {
    return client.host();
  }

  /** Where the address came from ({@code DOCKER_HOST}, the docker context, a Podman socket...). */
  public String source() {
    return source;
  }

  /** Podman runs health checks only from systemd timers: someone else must run them where there are none. */
  public boolean isPodman() {
    return podman;
  }

  /** {@code Podman (unix:///run/podman/podman.sock, from ...)}. */
  public String describe() {
    return (podman ? "Podman" : "Docker") + " at " + host() + " (" + source + ")";
  }

  /**
   * A container of a compose project as the engine sees it.
   *
   * @param state {@code created}, {@code running}, {@code exited}...
   * @param health {@code starting}, {@code healthy}, {@code unhealthy}, or empty without a health check
   * @param healthLog the outputs of the last health checks, oldest first
   * @param ports published ports: container port ({@code 8080/tcp}) to host address and port
   */
  public record Container(String id, String name, String service, String state, int exitCode, String health,
      List<String> healthLog, Map<String, HostPort> ports) {}

  /** A published port on the host. */
  public record HostPort(String host, int port) {}

  /** The project's containers, running or not, by name. */
  public List<Container> containers(String project) {
    JsonNode list = get("/containers/json?all=true&filters=" + labelFilter(project));
    List<Container> out = new ArrayList<>();
    for (JsonNode c : list) {
      out.add(inspect(c.path("Id").asString()));
    }
    out.sort(java.util.Comparator.comparing(Container::name));
    return out;
  }

  private Container inspect(String id) {
    JsonNode c = get("/containers/" + id + "/json");
    JsonNode state = c.path("State");
    List<String> healthLog = new ArrayList<>();
    for (JsonNode entry : state.path("Health").path("Log")) {
      healthLog.add("exit " + entry.path("ExitCode").asInt() + ": " + entry.path("Output").asString().strip());
    }
    Map<String, HostPort> ports = new TreeMap<>();
    for (Map.Entry<String, JsonNode> p : c.path("NetworkSettings").path("Ports").properties()) {
      for (JsonNode binding : p.getValue()) {
        String hostPort = binding.path("HostPort").asString();
        if (!hostPort.isEmpty() && !ports.containsKey(p.getKey())) {
          String ip = binding.path("HostIp").asString();
          ports.put(p.getKey(), new HostPort(ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::")
              ? "127.0.0.1" : ip, Integer.parseInt(hostPort)));
        }
      }
    }
    String name = c.path("Name").asString();
    return new Container(c.path("Id").asString(), name.startsWith("/") ? name.substring(1) : name,
        c.path("Config").path("Labels").path(SERVICE_LABEL).asString(), state.path("Status").asString(),
        state.path("ExitCode").asInt(), state.path("Health").path("Status").asString(), healthLog, ports);
  }

  /** Runs the container's health check once (Podman's API), as systemd's timer would. */
  public void runHealthCheck(String id) {
    client.call("GET", "/v4.0.0/libpod/containers/" + id + "/healthcheck");
  }

  /** The project's networks by name. */
  public List<String> networks(String project) {
    List<String> out = new ArrayList<>();
    get("/networks?filters=" + labelFilter(project)).forEach(n -> out.add(n.path("Name").asString()));
    return out;
  }

  /** The project's volumes by name. */
  public List<String> volumes(String project) {
    List<String> out = new ArrayList<>();
    get("/volumes?filters=" + labelFilter(project)).path("Volumes").forEach(v -> out.add(v.path("Name").asString()));
    return out;
  }

  /**
   * Removes what a compose CLI left of the project (containers forcibly, then networks and volumes); returns what
   * could not be removed.
   */
  public List<String> removeAll(String project) {
    List<String> failed = new ArrayList<>();
    for (Container c : containers(project)) {
      remove("/containers/" + c.id() + "?force=true&v=true", "container " + c.name(), failed);
    }
    for (String n : networks(project)) {
      remove("/networks/" + n, "network " + n, failed);
    }
    for (String v : volumes(project)) {
      remove("/volumes/" + v + "?force=true", "volume " + v, failed);
    }
    return failed;
  }

  private void remove(String path, String what, List<String> failed) {
    EngineClient.Response r = client.call("DELETE", path);
    if (r.status() >= 300 && r.status() != 404) {
      failed.add(what + " (HTTP " + r.status() + ": " + r.body().strip() + ")");
    }
  }

  private JsonNode get(String path) {
    EngineClient.Response r = client.call("GET", path);
    if (r.status() != 200) {
      throw new EnvironmentError("The engine " + describe() + " answered HTTP " + r.status() + " to GET " + path
          + ": " + r.body().strip());
    }
    return Json.read(r.body());
  }

  private static String labelFilter(String project) {
    return URLEncoder.encode("{\"label\":[\"" + PROJECT_LABEL + "=" + project + "\"]}", StandardCharsets.UTF_8);
  }
}
