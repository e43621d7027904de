package io.github.devplugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTest {
  private static final Network.Proxy HTTP = new Network.Proxy("corp", "http", "proxy.corp", 3128,
      "*.internal|localhost", "alice", "s3cret");

  @Test
  void theProxyOfTheSchemeAppliesElseTheHttpOneUnlessTheHostIsExempt() {
    Network n = new Network(false, List.of(HTTP));
    assertThat(n.proxyFor("https", "registry.example.com")).contains(HTTP);
    assertThat(n.proxyFor("http", "registry.example.com")).contains(HTTP);
    assertThat(n.proxyFor("https", "registry.internal")).isEmpty();
    assertThat(n.proxyOf("https")).as("the proxy of the scheme, whatever the host").contains(HTTP);
    assertThat(Network.DIRECT.proxyOf("http")).isEmpty();
    assertThat(n.proxyFor("https", "LOCALHOST")).isEmpty();
    assertThat(Network.DIRECT.proxyFor("https", "registry.example.com")).isEmpty();
    Network.Proxy tls = new Network.Proxy("tls", "https", "tls.corp", 8443, null, null, null);
    assertThat(new Network(false, List.of(HTTP, tls)).proxyFor("https", "registry.internal")).contains(tls);
    // Java's proxy selector always reaches loopback addresses directly
    assertThat(new Network(false, List.of(tls)).proxyFor("https", "127.0.0.1")).isEmpty();
    assertThat(new Network(false, List.of(HTTP)).proxyFor("https", "127.0.0.1")).isEmpty();
    assertThat(HTTP.describe()).isEqualTo("settings.xml proxy 'corp' (proxy.corp:3128)").doesNotContain("s3cret");
  }

  @Test
  void proxySystemPropertiesAreSetForTheWorkAndRestoredAfterwards() {
    System.clearProperty("https.proxyHost");
    System.setProperty("http.proxyPort", "9999"); // set by the user: left alone
    try {
      String seen = new Network(false, List.of(HTTP)).withProxySystemProperties(() ->
          System.getProperty("https.proxyHost") + ":" + System.getProperty("https.proxyPort") + " "
              + System.getProperty("http.proxyPort") + " " + System.getProperty("https.proxyUser") + " "
              + System.getProperty("https.proxyPassword") + " " + System.getProperty("http.nonProxyHosts"));
      assertThat(seen).isEqualTo("proxy.corp:3128 9999 alice s3cret *.internal|localhost");
      assertThat(System.getProperty("https.proxyHost")).isNull();
      assertThat(System.getProperty("https.proxyPassword")).isNull();
      assertThat(System.getProperty("http.nonProxyHosts")).isNull();
      assertThat(System.getProperty("http.proxyPort")).isEqualTo("9999");
    } finally {
      System.clearProperty("http.proxyPort");
    }
    // restored even when the work fails
    try {
      new Network(false, List.of(HTTP)).withProxySystemProperties(() -> {
        throw new IllegalStateException("boom");
      });
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("boom");
    }
    assertThat(System.getProperty("http.proxyHost")).isNull();
  }

  @Test
  void basicIsAllowedForProxyTunnelsUnlessTheUserSaidOtherwise() {
    restoringTunnelingProperty(() -> {
      System.clearProperty(Network.TUNNELING_DISABLED);
      assertThat(Network.allowBasicForProxyTunnels()).isEmpty();
      assertThat(System.getProperty(Network.TUNNELING_DISABLED)).isEmpty();

      System.setProperty(Network.TUNNELING_DISABLED, "Digest, basic");
      assertThat(Network.allowBasicForProxyTunnels()).hasValue(
          "-Djdk.http.auth.tunneling.disabledSchemes=Digest, basic keeps the JDK from sending the proxy's login on"
              + " HTTPS tunnels: the proxy will refuse them. Fix: remove Basic from that property (MAVEN_OPTS or"
              + " .mvn/jvm.config).");
      assertThat(System.getProperty(Network.TUNNELING_DISABLED))
          .as("the user's setting is kept").isEqualTo("Digest, basic");

      System.setProperty(Network.TUNNELING_DISABLED, "Digest");
      assertThat(Network.allowBasicForProxyTunnels()).isEmpty();
    });
  }

  @Test
  void onlyAProxyWithALoginAllowsBasicForTunnels() {
    restoringTunnelingProperty(() -> {
      System.clearProperty(Network.TUNNELING_DISABLED);
      Network anonymous = new Network(false, List.of(new Network.Proxy("open", "https", "proxy.example", 3128, null,
          null, null)));
      assertThat(anonymous.allowProxyLoginsOnTunnels()).isEmpty();
      assertThat(System.getProperty(Network.TUNNELING_DISABLED)).as("nothing to allow without a login").isNull();

      Network login = new Network(false, List.of(new Network.Proxy("corp", "https", "proxy.example", 3128, null,
          "alice", "s3cret-pw")));
      assertThat(login.allowProxyLoginsOnTunnels()).isEmpty();
      assertThat(System.getProperty(Network.TUNNELING_DISABLED)).isEmpty();

      System.setProperty(Network.TUNNELING_DISABLED, "Basic");
      assertThat(login.allowProxyLoginsOnTunnels()).hasValueSatisfying(w -> assertThat(w)
          .startsWith("-Djdk.http.auth.tunneling.disabledSchemes=Basic keeps the JDK from sending"));
    });
  }

  /** Runs checks that change {@link Network#TUNNELING_DISABLED}, and puts its value back afterwards. */
  private static void restoringTunnelingProperty(Runnable checks) {
    String saved = System.getProperty(Network.TUNNELING_DISABLED);
    try {
      checks.run();
    } finally {
      if (saved == null) {
        System.clearProperty(Network.TUNNELING_DISABLED);
      } else {
        System.setProperty(Network.TUNNELING_DISABLED, saved);
      }
    }
  }
}
