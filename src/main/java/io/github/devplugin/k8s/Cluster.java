package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Network;
import io.github.devplugin.core.UserError;
import java.io.File;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Opens a fabric8 client on the kubeconfig context of {@code <kubernetes><context>} and checks it is reachable. The
 * client goes through the settings.xml proxy for the API server's scheme ({@link Network#proxyFor}, its
 * {@code nonProxyHosts} and loopback addresses reached directly) unless the kubeconfig's cluster names its own
 * {@code proxy-url}, which wins; the log says which applies. Offline ({@code -o}) it refuses before any connection.
 */
public final class Cluster {
  private Cluster() {}

  /** How often a failed request is retried (fabric8's default is 10, with a doubling backoff). */
  static final int REQUEST_RETRIES = 2;

  /**
   * @param goal the goal that needs the cluster ({@code apply}, {@code undeploy}), for the offline message
   * @param context a kubeconfig context, or null for the current one ({@code KUBECONFIG} or {@code ~/.kube/config},
   *     or the in-cluster service account)
   * @param network offline mode and the settings.xml proxies
   * @throws UserError when Maven runs offline: nothing is read or sent
   * @throws EnvironmentError when the context is not in the kubeconfig (fabric8 would silently fall back to the
   *     current context, another cluster) or the API server cannot be reached
   */
  public static KubernetesClient connect(String goal, String context, Network network, BuildLog log) {
    if (network.offline()) {
      throw new UserError("Maven runs offline (-o, or <offline>true</offline> in settings.xml), and devplugin:" + goal
          + " talks to the Kubernetes API" + (context == null ? "" : " of the context " + context
          + " (<kubernetes><context>)") + ". Nothing was sent and nothing was changed. Fix: run devplugin:" + goal
          + " without -o; devplugin:k8s writes the manifests offline (target/devplugin/k8s).");
    }
    Config config = Config.autoConfigure(context);
    if (context != null && (config.getCurrentContext() == null
        || !context.equals(config.getCurrentContext().getName()))) {
      List<String> known = config.getContexts() == null ? List.of()
          : config.getContexts().stream().map(NamedContext::getName).sorted().toList();
      throw new EnvironmentError("The kubeconfig context " + context + " (<kubernetes><context>) is not in the"
          + " kubeconfig in use (" + String.join(File.pathSeparator, Config.getKubeconfigFilenames()) + "; "
          + (known.isEmpty() ? "no contexts" : "contexts: " + String.join(", ", known)) + "). Nothing was changed."
          + " Fix: add the context to the kubeconfig (or point KUBECONFIG at the file that has it), or name one of"
          + " the existing contexts in <kubernetes><context>.");
    }
    // fabric8 retries a refused connection 10 times with a doubling backoff (tens of seconds of silence); two retries
    // ride out a blip without hiding an unreachable cluster
    config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    String route = route(config, network);
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
    if ("https".equals(URI.create(config.getMasterUrl()).getScheme()) && config.getProxyUsername() != null
        && config.getHttpsProxy() != null) {
      // fabric8 sends the login as a header, which the JDK puts on the tunnel's CONNECT only when Basic is allowed
      Network.allowBasicForProxyTunnels().ifPresent(log::warn);
    }
    KubernetesClient client = builder.build();
    String where = client.getMasterUrl() + (context == null ? "" : " (context " + context + ")");
    log.info("Connecting to the Kubernetes API at " + where + " " + route + "...");
    try {
      VersionInfo v = client.getKubernetesVersion();
      if (v == null) { // fabric8 answers a 404 with null
        client.close();
        throw notKubernetes(where);
      }
      log.info("Connected to Kubernetes " + v.getGitVersion() + " at " + where + ".");
      return client;
    } catch (KubernetesClientException e) {
      client.close();
      if (e.getCode() == 404) {
        throw notKubernetes(where);
      }
      throw new EnvironmentError("Cannot reach the Kubernetes API at " + where + " " + route + ": " + e.getMessage()
          + ". Fix: point KUBECONFIG (or ~/.kube/config) at the cluster, pick its context with"
          + " <kubernetes><context>, and check the network path to the API server"
          + (route.startsWith("directly") ? "" : " and the proxy") + ".", e);
    }
  }

  private static EnvironmentError notKubernetes(String where) {
    return new EnvironmentError("The server at " + where + " answered GET /version with 404 Not Found: it is not a"
        + " Kubernetes API server. Nothing was changed. Fix: point the kubeconfig's cluster (server:) at the API"
        + " server, or pick its context with <kubernetes><context>.");
  }

  /**
   * Puts the settings.xml proxy for the API server into {@code config} unless the kubeconfig's cluster has its own
   * {@code proxy-url}, and says which route the client takes (for the log; no password).
   */
  static String route(Config config, Network network) {
    URI master = URI.create(config.getMasterUrl());
    String scheme = master.getScheme() == null ? "https" : master.getScheme();
    Optional<String> kubeconfigProxy = kubeconfigProxyUrl(config);
    Optional<Network.Proxy> settings = network.proxyFor(scheme, master.getHost());
    if (kubeconfigProxy.isPresent()) {
      // fabric8 has already taken it from the kubeconfig
      return "through the kubeconfig's proxy-url " + withoutUserInfo(kubeconfigProxy.get())
          + settings.map(p -> " (it wins over " + p.describe() + ")").orElse("");
    }
    if (settings.isPresent()) {
      Network.Proxy p = settings.get();
      String url = "http://" + p.host() + ":" + p.port();
      if ("http".equals(scheme)) {
        config.setHttpProxy(url);
      } else {
        config.setHttpsProxy(url);
      }
      config.setNoProxy(new String[0]);
      config.setProxyUsername(p.username());
      config.setProxyPassword(p.password());
      return "through " + p.describe();
    }
    Optional<Network.Proxy> bypassed = network.proxyOf(scheme).filter(p -> p.bypasses(master.getHost()));
    if (bypassed.isPresent()) {
      // the settings.xml proxies govern: a proxy from HTTP(S)_PROXY must not carry what nonProxyHosts exempts
      config.setHttpProxy(null);
      config.setHttpsProxy(null);
      return "directly (" + master.getHost() + " is in the nonProxyHosts of " + bypassed.get().describe()
          + " or a loopback address)";
    }
    String envProxy = "http".equals(scheme) ? config.getHttpProxy() : config.getHttpsProxy();
    Optional<String> exempt = envProxy == null ? Optional.empty() : noProxyEntry(master.getHost(),
        config.getNoProxy());
    if (exempt.isPresent()) {
      return "directly (" + master.getHost() + " matches the NO_PROXY entry " + exempt.get() + ")";
    }
    return envProxy == null ? "directly" : "through the proxy " + withoutUserInfo(envProxy)
        + " (HTTP_PROXY/HTTPS_PROXY environment)";
  }

  /**
   * The NO_PROXY entry (fabric8's {@code no.proxy}) that exempts {@code host}, matched as fabric8 matches it: an IPv4
   * address or subnet ({@code 10.0.0.0/8}) contains the host's address literal, any other entry ends the host name.
   */
  static Optional<String> noProxyEntry(String host, String[] noProxy) {
    for (String entry : noProxy == null ? new String[0] : noProxy) {
      String e = entry.strip();
      if (e.isEmpty()) {
        continue;
      }
      java.util.regex.Matcher ip = IPV4.matcher(e);
      if (ip.matches() ? inSubnet(host, ip.group(1), ip.group(2)) : host.endsWith(e)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
      "(?:https?://)?(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/(\\d{1,2}))?");

  private static boolean inSubnet(String host, String address, String prefix) {
    if (!IPV4.matcher(host).matches()) {
      return false;
    }
    int bits = prefix == null ? 32 : Integer.parseInt(prefix);
    if (bits > 32) {
      return false;
    }
    long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
    return (ipv4(host) & mask) == (ipv4(address) & mask);
  }

  private static long ipv4(String address) {
    long value = 0;
    for (String part : address.split("\\.")) {
      value = value << 8 | Integer.parseInt(part) & 0xFF;
    }
    return value;
  }

  /** The {@code proxy-url} of the current context's cluster in the kubeconfig, if it names one. */
  private static Optional<String> kubeconfigProxyUrl(Config config) {
    NamedContext current = config.getCurrentContext();
    if (current == null || current.getContext() == null || current.getContext().getCluster() == null) {
      return Optional.empty();
    }
    File file = KubeConfigUtils.getFileWithNamedCluster(current);
    if (file == null) {
      return Optional.empty();
    }
    io.fabric8.kubernetes.api.model.Config kubeconfig = KubeConfigUtils.parseConfig(file);
    return kubeconfig.getClusters() == null ? Optional.empty() : kubeconfig.getClusters().stream()
        .filter(c -> current.getContext().getCluster().equals(c.getName()))
        .map(NamedCluster::getCluster)
        .filter(c -> c != null && c.getProxyUrl() != null && !c.getProxyUrl().isBlank())
        .map(io.fabric8.kubernetes.api.model.Cluster::getProxyUrl)
        .findFirst();
  }

  private static String withoutUserInfo(String url) {
    try {
      URI u = URI.create(url);
      return u.getUserInfo() == null ? url : url.replace(u.getRawUserInfo() + "@", "");
    } catch (IllegalArgumentException e) {
      return "(unparseable URL)";
    }
  }
}
