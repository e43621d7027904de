package io.github.devplugin.framework;

/**
 * A health probe: an HTTP GET of {@code path} (2xx/3xx is healthy), or, when {@code path} is null, a TCP connect to the
 * port (all that can honestly be checked of a service without a health endpoint).
 *
 * @param path the HTTP path, or null for a TCP check
 * @param management true when the path is served on the management port when one is separate
 */
public record Probe(String path, boolean management) {

  public static Probe http(String path) {
    return new Probe(path, false);
  }

  public static Probe managementHttp(String path) {
    return new Probe(path, true);
  }

  public static Probe tcp() {
    return new Probe(null, false);
  }

  public boolean isHttp() {
    return path != null;
  }

  /** The port to probe: the management port when the probe is served there and it is separate, else the service's. */
  public int port(int servicePort, Integer managementPort) {
    return management && managementPort != null ? managementPort : servicePort;
  }

  @Override
  public String toString() {
    return path == null ? "TCP" : "GET " + path;
  }
}
