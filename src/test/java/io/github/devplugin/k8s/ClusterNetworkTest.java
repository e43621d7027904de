package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Network;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import io.github.devplugin.testing.RecordingProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply} / {@code undeploy}'s connection ({@link Cluster#connect}) against the fabric8 mock server through a
 * real forwarding proxy run in the test ({@link RecordingProxy}): the settings.xml proxy carries the traffic (with its
 * login, never logged), {@code nonProxyHosts} bypasses it, the kubeconfig's {@code proxy-url} wins, and offline mode
 * refuses before anything is read or sent.
 */
class ClusterNetworkTest {
  /** A host name only the proxies resolve: a request that reaches the API server went through a proxy. */
  static final String API_HOST = "kube-api.devplugin.test";

  @TempDir Path dir;
  KubernetesMockServer server;
  InetAddress local;
  final RecordingLog log = new RecordingLog();
  private final String previousKubeconfig = System.getProperty("kubeconfig");

  @BeforeAll
  static void quiet() {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
  }

  @BeforeEach
  void start() throws IOException {
    // the machine's own name and address: reachable directly, and not one of the loopback names every proxy skips
    local = InetAddress.getLocalHost();
    server = new KubernetesMockServer(false);
    server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("32").withGitVersion("v1.32.0")
        .build());
    server.init(local, 0);
  }

  @AfterEach
  void stop() {
    if (previousKubeconfig == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previousKubeconfig);
    }
    server.destroy();
  }

  int apiPort() {
    return Integer.parseInt(server.url("/").replaceAll("^.*:(\\d+)/$", "$1"));
  }

  /** A kubeconfig whose context {@code ctx} points at {@code serverUrl}, through {@code proxyUrl} when not null. */
  void kubeconfig(String serverUrl, String proxyUrl) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: " + serverUrl
        + "\n" + (proxyUrl == null ? "" : "    proxy-url: " + proxyUrl + "\n")
        + "contexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\ncurrent-context: ctx\n"
        + "users:\n- name: u\n  user:\n    token: unit-test-token\n");
    System.setProperty("kubeconfig", file.toString());
  }

  static Network.Proxy settingsProxy(RecordingProxy proxy, String nonProxyHosts) {
    return new Network.Proxy("corp", "http", "127.0.0.1", proxy.port(), nonProxyHosts, "alice", "s3cret-pw");
  }

  @Test
  void theSettingsProxyCarriesTheTrafficWithItsLoginWhichIsNeverLogged() throws Exception {
    try (RecordingProxy proxy = new RecordingProxy("alice", "s3cret-pw", Map.of(API_HOST,
        local.getHostAddress()))) {
      kubeconfig("http://" + API_HOST + ":" + apiPort(), null);
      Network network = new Network(false, List.of(settingsProxy(proxy, "*.internal")));

      try (KubernetesClient client = Cluster.connect("apply", "ctx", network, log)) {
        client.namespaces().withName("notes").get();
      }

      assertThat(proxy.requests).as("every request went through the proxy, logged in")
          .contains("GET http://" + API_HOST + ":" + apiPort() + "/version",
              "GET http://" + API_HOST + ":" + apiPort() + "/api/v1/namespaces/notes");
      assertThat(log.text()).contains("Connecting to the Kubernetes API at http://" + API_HOST + ":" + apiPort()
              + "/ (context ctx) through settings.xml proxy 'corp' (127.0.0.1:" + proxy.port() + ")...",
          "Connected to Kubernetes v1.32.0").doesNotContain("s3cret-pw");
    }
  }

  @Test
  void aHostInNonProxyHostsIsReachedDirectlyAndOthersThroughTheProxy() throws Exception {
    String url = "http://" + local.getHostName() + ":" + apiPort();
    try (RecordingProxy proxy = new RecordingProxy("alice", "s3cret-pw", Map.of())) {
      kubeconfig(url, null);
      try (KubernetesClient client = Cluster.connect("apply", null,
          new Network(false, List.of(settingsProxy(proxy, "*.internal|" + local.getHostName()))), log)) {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0");
      }
      assertThat(proxy.requests).as("nonProxyHosts bypasses the proxy").isEmpty();
      assertThat(log.text()).contains("at " + url + "/ directly (" + local.getHostName()
          + " is in the nonProxyHosts of settings.xml proxy 'corp'");
      assertThat(server.getRequestCount()).isPositive();

      // the same host, not exempt: through the proxy
      try (KubernetesClient client = Cluster.connect("apply", null,
          new Network(false, List.of(settingsProxy(proxy, "*.internal"))), log)) {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0");
      }
      assertThat(proxy.requests).contains("GET " + url + "/version");
    }
  }

  @Test
  void theKubeconfigsProxyUrlWinsOverTheSettingsProxyAndTheLogSaysSo() throws Exception {
    try (RecordingProxy settings = new RecordingProxy("alice", "s3cret-pw", Map.of(API_HOST,
            local.getHostAddress()));
        RecordingProxy kube = new RecordingProxy(null, null, Map.of(API_HOST, local.getHostAddress()))) {
      kubeconfig("http://" + API_HOST + ":" + apiPort(), kube.url());

      try (KubernetesClient client = Cluster.connect("undeploy", "ctx",
          new Network(false, List.of(settingsProxy(settings, null))), log)) {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0");
      }

      assertThat(kube.requests).contains("GET http://" + API_HOST + ":" + apiPort() + "/version");
      assertThat(settings.requests).isEmpty();
      assertThat(settings.refused).isEmpty();
      assertThat(log.text()).contains("through the kubeconfig's proxy-url " + kube.url() + " (it wins over"
          + " settings.xml proxy 'corp' (127.0.0.1:" + settings.port() + "))...");
    }
  }

  @Test
  void aWrongProxyLoginIsAnEnvironmentErrorNamingTheProxyNotThePassword() throws Exception {
    try (RecordingProxy proxy = new RecordingProxy("alice", "other", Map.of(API_HOST, local.getHostAddress()))) {
      kubeconfig("http://" + API_HOST + ":" + apiPort(), null);

      Throwable t = catchThrowable(() -> Cluster.connect("apply", "ctx",
          new Network(false, List.of(settingsProxy(proxy, null))), log).close());
      assertThat(t).isInstanceOf(EnvironmentError.class)
          .hasMessageStartingWith("Cannot reach the Kubernetes API at http://" + API_HOST + ":" + apiPort()
              + "/ (context ctx) through settings.xml proxy 'corp' (127.0.0.1:" + proxy.port() + "): ")
          .hasMessageEndingWith("and check the network path to the API server and the proxy.")
          .hasMessageNotContaining("s3cret-pw");
      assertThat(proxy.refused).isNotEmpty();
      assertThat(server.getRequestCount()).isZero();
    }
  }

  @Test
  void offlineRefusesBeforeReadingTheKubeconfigOrSendingAnything() throws Exception {
    kubeconfig("http://" + local.getHostName() + ":" + apiPort(), null);

    Throwable t = catchThrowable(() -> Cluster.connect("apply", "ctx", new Network(true, List.of()), log));

    assertThat(t).isInstanceOf(UserError.class).hasMessage("Maven runs offline (-o, or <offline>true</offline> in"
        + " settings.xml), and devplugin:apply talks to the Kubernetes API of the context ctx"
        + " (<kubernetes><context>). Nothing was sent and nothing was changed. Fix: run devplugin:apply without -o;"
        + " devplugin:k8s writes the manifests offline (target/devplugin/k8s).");
    assertThat(server.getRequestCount()).isZero();
    assertThat(log.lines).isEmpty();
  }

  @Test
  void anEnvironmentProxyThatNoProxyExemptsIsNotClaimedInTheLog() throws Exception {
    String url = "http://" + local.getHostAddress() + ":" + apiPort();
    kubeconfig(url, null);
    String subnet = local.getHostAddress().replaceAll("\\.\\d+$", ".0/24");
    try (RecordingProxy proxy = new RecordingProxy(null, null, Map.of())) {
      System.setProperty("http.proxy", proxy.url());
      System.setProperty("no.proxy", ".example.invalid," + subnet);
      try (KubernetesClient client = Cluster.connect("apply", null, new Network(false, List.of()), log)) {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0");
      }
      assertThat(proxy.requests).as("fabric8 went directly").isEmpty();
      assertThat(log.text()).contains("at " + url + "/ directly (" + local.getHostAddress()
          + " matches the NO_PROXY entry " + subnet + ")...");

      // not exempt: the environment's proxy carries it, and the log says so
      System.setProperty("no.proxy", ".example.invalid");
      try (KubernetesClient client = Cluster.connect("apply", null, new Network(false, List.of()), log)) {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0");
      }
      assertThat(proxy.requests).contains("GET " + url + "/version");
      assertThat(log.text()).contains("at " + url + "/ through the proxy " + proxy.url()
          + " (HTTP_PROXY/HTTPS_PROXY environment)...");
    } finally {
      System.clearProperty("http.proxy");
      System.clearProperty("no.proxy");
    }
  }

  @Test
  void aServerThatIsNotAKubernetesApiIsNamedNotACrash() throws Exception {
    com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(local, 0), 0);
    web.createContext("/", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    web.start();
    try {
      String url = "http://" + local.getHostAddress() + ":" + web.getAddress().getPort();
      kubeconfig(url, null);

      Throwable t = catchThrowable(() -> Cluster.connect("apply", "ctx", new Network(false, List.of()), log));

      assertThat(t).isInstanceOf(EnvironmentError.class)
          .hasMessage("The server at " + url + "/ (context ctx) answered GET /version with 404 Not Found: it is not"
              + " a Kubernetes API server. Nothing was changed. Fix: point the kubeconfig's cluster (server:) at the"
              + " API server, or pick its context with <kubernetes><context>.");
    } finally {
      web.stop(0);
    }
  }

  /**
   * An HTTPS API server behind a proxy with a login: the CONNECT carries it (the JDK HTTP client puts a proxy login
   * on a tunnel's CONNECT only when its once-per-JVM setting allows Basic: hence a JVM of its own, as a Maven run is).
   */
  @Test
  void anHttpsApiServerIsReachedThroughTheProxysTunnelWithItsLogin() throws Exception {
    KubernetesMockServer https = new KubernetesMockServer(true);
    https.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("32").withGitVersion("v1.32.0")
        .build());
    https.init(local, 0);
    int port = Integer.parseInt(https.url("/").replaceAll("^.*:(\\d+)/$", "$1"));
    try (RecordingProxy proxy = new RecordingProxy("alice", "s3cret-pw", Map.of(API_HOST,
        local.getHostAddress()))) {
      Path file = dir.resolve("kubeconfig");
      Files.writeString(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://"
          + API_HOST + ":" + port + "\n    insecure-skip-tls-verify: true\ncontexts:\n- name: ctx\n  context:\n"
          + "    cluster: c\n    user: u\ncurrent-context: ctx\nusers:\n- name: u\n  user:\n    token: t\n");

      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), ClusterConnectMain.class.getName(), file.toString(),
          String.valueOf(proxy.port()), "alice", "s3cret-pw").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();

      assertThat(out).contains("INFO Connecting to the Kubernetes API at https://" + API_HOST + ":" + port
          + "/ (context ctx) through settings.xml proxy 'corp' (127.0.0.1:" + proxy.port() + ")...")
          .contains("\nCONNECTED v1.32.0").doesNotContain("s3cret-pw");
      assertThat(proxy.requests).as("the tunnel was opened with the proxy's login")
          .contains("CONNECT " + API_HOST + ":" + port);
      assertThat(https.getRequestCount()).as("/version, the namespace, /version").isEqualTo(3);
    } finally {
      https.destroy();
    }
  }
}
