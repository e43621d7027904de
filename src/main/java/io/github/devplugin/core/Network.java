package io.github.devplugin.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How the build may reach the network, converted once from the front-end (Maven: {@code -o} / {@code <offline>} and
 * the active {@code <proxies>} of settings.xml, passwords decrypted). Everything devplugin sends to the network (registry
 * probes, jib-core's registry traffic for base images and pushes) goes through {@link #withProxySystemProperties}, the
 * Kubernetes client takes its proxy from {@link #proxyFor} ({@code k8s.Cluster}), and nothing goes out when
 * {@link #offline()}.
 *
 * @param offline Maven's offline mode: no registry probe, base images only from jib's cache, no push
 * @param proxies the active proxies, at most one per protocol ({@code http}, {@code https})
 */
public record Network(boolean offline, List<Proxy> proxies) {
  /**
   * The hosts Java's proxy selector always reaches directly, whatever {@code http.nonProxyHosts} adds: loopback
   * registries are never proxied.
   */
  public static final String JAVA_NON_PROXY_HOSTS = "localhost|127.*|[::1]|0.0.0.0|[::0]";

  /** Online, no proxy. */
  public static final Network DIRECT = new Network(false, List.of());

  /** Serialises builds of one JVM (mvn -T) while the proxy system properties are set. */
  private static final Object PROPERTIES_LOCK = new Object();

  public Network {
    proxies = List.copyOf(proxies);
  }

  /**
   * A settings.xml proxy.
   *
   * @param protocol {@code http} or {@code https}: the scheme of the requests it carries (Maven's meaning)
   * @param nonProxyHosts hosts reached directly, {@code |}-separated, {@code *} as wildcard (null: none)
   * @param username null without authentication
   * @param password decrypted; registered with the masker by the front-end
   */
  public record Proxy(String id, String protocol, String host, int port, String nonProxyHosts, String username,
      String password) {
    /**
     * True when requests to {@code host} bypass this proxy: {@code nonProxyHosts} and, as Java's proxy selector (which
     * jib's HTTP client uses) always adds them, the loopback names of {@link #JAVA_NON_PROXY_HOSTS}.
     */
    public boolean bypasses(String targetHost) {
      String hosts = nonProxyHosts == null || nonProxyHosts.isBlank() ? JAVA_NON_PROXY_HOSTS
          : nonProxyHosts + "|" + JAVA_NON_PROXY_HOSTS;
      for (String pattern : hosts.split("[|,]")) {
        String p = pattern.strip().toLowerCase(Locale.ROOT);
        if (!p.isEmpty() && Pattern.matches(Pattern.quote(p).replace("*", "\\E.*\\Q"),
            targetHost.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
      return false;
    }

    /** {@code id (host:port)}, for messages; never the password. */
    public String describe() {
      return "settings.xml proxy '" + id + "' (" + host + ":" + port + ")";
    }
  }

  /**
   * The proxy for a request of {@code scheme} to {@code host}: the proxy of that protocol, else (for https) the http
   * one, as Maven and Java do; empty when none applies or {@code host} is in its {@code nonProxyHosts}.
   */
  public Optional<Proxy> proxyFor(String scheme, String host) {
    return proxyOf(scheme).filter(proxy -> !proxy.bypasses(host));
  }

  /**
   * The proxy that carries requests of {@code scheme} to hosts outside its {@code nonProxyHosts}: the proxy of that
   * protocol, else (for https) the http one.
   */
  public Optional<Proxy> proxyOf(String scheme) {
    Optional<Proxy> p = byProtocol(scheme);
    return p.isEmpty() && "https".equals(scheme) ? byProtocol("http") : p;
  }

  private Optional<Proxy> byProtocol(String protocol) {
    return proxies.stream().filter(p -> p.protocol().equalsIgnoreCase(protocol)).findFirst();
  }

  /**
   * Runs {@code work} with Java's proxy system properties ({@code http(s).proxyHost}, {@code .proxyPort},
   * {@code .proxyUser}, {@code .proxyPassword}, {@code http.nonProxyHosts}) set from the proxies, which is how
   * jib-core's HTTP client finds a proxy, and restores every property afterwards. A property already set (on the
   * command line, in MAVEN_OPTS) is left as it is. One build of the JVM at a time runs under these properties.
   */
  public <T> T withProxySystemProperties(Supplier<T> work) {
    if (proxies.isEmpty()) {
      return work.get();
    }
    synchronized (PROPERTIES_LOCK) {
      java.util.Map<String, String> saved = new java.util.HashMap<>();
      try {
        for (String scheme : List.of("http", "https")) {
          Optional<Proxy> p = proxyOf(scheme);
          if (p.isEmpty()) {
            continue;
          }
          set(saved, scheme + ".proxyHost", p.get().host());
          set(saved, scheme + ".proxyPort", String.valueOf(p.get().port()));
          set(saved, scheme + ".proxyUser", p.get().username());
          set(saved, scheme + ".proxyPassword", p.get().password());
          if (p.get().nonProxyHosts() != null && !p.get().nonProxyHosts().isBlank()) {
            set(saved, "http.nonProxyHosts", p.get().nonProxyHosts().replace(',', '|'));
          }
        }
        return work.get();
      } finally {
        saved.forEach((key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
      }
    }
  }

  private static void set(java.util.Map<String, String> saved, String key, String value) {
    if (value == null || System.getProperty(key) != null || saved.containsKey(key)) {
      return;
    }
    saved.put(key, null);
    System.setProperty(key, value);
  }

  /**
   * {@link #allowBasicForProxyTunnels} when one of the proxies has a login (without one there is nothing to send):
   * what a goal calls before the first JDK HTTP client that may tunnel through these proxies starts.
   *
   * @return a warning when the user's own setting still refuses Basic for tunnels
   */
  public Optional<String> allowProxyLoginsOnTunnels() {
    return proxies.stream().anyMatch(p -> p.username() != null) ? allowBasicForProxyTunnels() : Optional.empty();
  }

  /** The JDK's property listing the authentication schemes it refuses for HTTPS tunnels through a proxy. */
  public static final String TUNNELING_DISABLED = "jdk.http.auth.tunneling.disabledSchemes";

  /**
   * Lets the JDK HTTP client send a proxy's Basic login on the CONNECT of an HTTPS tunnel, which it refuses by default
   * ({@value #TUNNELING_DISABLED} is {@code Basic} in the JDK's net.properties): the settings.xml proxy's login
   * (Maven's own transport sends it on tunnels too) could never open one. A value the user set is kept. The JDK reads
   * the property once per JVM, when its first HTTP client starts.
   *
   * @return a warning when the user's own setting still refuses Basic for tunnels
   */
  public static Optional<String> allowBasicForProxyTunnels() {
    synchronized (PROPERTIES_LOCK) {
      String disabled = System.getProperty(TUNNELING_DISABLED);
      if (disabled == null) {
        System.setProperty(TUNNELING_DISABLED, "");
        return Optional.empty();
      }
      boolean basic = java.util.Arrays.stream(disabled.split(",")).anyMatch(s -> s.strip().equalsIgnoreCase("Basic"));
      return basic ? Optional.of("-D" + TUNNELING_DISABLED + "=" + disabled + " keeps the JDK from sending the"
          + " proxy's login on HTTPS tunnels: the proxy will refuse them. Fix: remove Basic from that property"
          + " (MAVEN_OPTS or .mvn/jvm.config).") : Optional.empty();
    }
  }
}
