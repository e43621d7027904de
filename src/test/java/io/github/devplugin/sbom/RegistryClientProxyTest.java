package io.github.devplugin.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.Network;
import io.github.devplugin.testing.RecordingProxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SBOM's registry client through a settings.xml proxy with a login (Java's proxy properties as
 * {@link Network#withProxySystemProperties} sets them around the read-back), against the test registry reached by a
 * name only the proxy resolves: every request carries the proxy's login, and a host the proxy does not carry gets
 * none.
 */
class RegistryClientProxyTest {
  @Test
  void everyRequestThroughTheProxyCarriesItsLogin() throws Exception {
    TestRegistry test = TestRegistry.fromEnvironment();
    String registry = test.address();
    String port = test.port();
    String repository = test.repository();
    String tag = test.tag();
    try (RecordingProxy proxy = new RecordingProxy("alice", "s3cret-pw", Map.of("registry.proxy.invalid",
        "127.0.0.1"))) {
      Network network = new Network(false, List.of(new Network.Proxy("corp", "http", "127.0.0.1", proxy.port(),
          null, "alice", "s3cret-pw")));

      RegistryClient.Manifest m = network.withProxySystemProperties(() -> new RegistryClient(
          "registry.proxy.invalid:" + port, repository, true, null, null).manifest(tag));

      assertThat(new String(m.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"layers\"");
      assertThat(proxy.refused).isEmpty();
      assertThat(proxy.requests).contains("GET http://registry.proxy.invalid:" + port + "/v2/" + repository
          + "/manifests/" + tag);
      // loopback is never proxied: no login for it
      network.withProxySystemProperties(() -> {
        assertThat(RegistryClient.proxyAuthorization(java.net.URI.create("http://" + registry + "/v2/"))).isNull();
        assertThat(RegistryClient.proxyAuthorization(java.net.URI.create("http://registry.proxy.invalid:" + port
            + "/v2/"))).isEqualTo("Basic YWxpY2U6czNjcmV0LXB3");
        return null;
      });
    }
    assertThat(RegistryClient.proxyAuthorization(java.net.URI.create("http://registry.proxy.invalid/v2/")))
        .as("no proxy properties outside the read-back").isNull();
  }

  /**
   * An HTTPS registry behind a proxy with a login: the tunnel's CONNECT carries the login (answered through the
   * client's proxy-only authenticator once the proxy asks). The test registry speaks plain HTTP, so the TLS handshake
   * inside the tunnel then fails: what counts is that the proxy opened the tunnel.
   */
  @Test
  void anHttpsRegistryIsReachedThroughTheProxysTunnelWithItsLogin() throws Exception {
    String port = TestRegistry.fromEnvironment().port();
    try (RecordingProxy proxy = new RecordingProxy("alice", "s3cret-pw", Map.of("registry.proxy.invalid",
        "127.0.0.1"))) {
      Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"), RegistryTunnelMain.class.getName(),
          "registry.proxy.invalid:" + port, "team/app", "1.0", String.valueOf(proxy.port()), "alice", "s3cret-pw")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();

      assertThat(proxy.requests).as(out).containsExactly("CONNECT registry.proxy.invalid:" + port);
      assertThat(out).startsWith("FAILED Cannot reach the registry registry.proxy.invalid:" + port + " (https): ")
          .doesNotContain("s3cret-pw");
    }
  }
}
