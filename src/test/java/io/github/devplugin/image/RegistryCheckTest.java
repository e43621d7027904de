package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class RegistryCheckTest {
  @Test
  void anUnreachableRegistryFailsNamingItAndTheSetting() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String registry = "127.0.0.1:" + port;
    assertThatThrownBy(() -> RegistryCheck.check(registry, true, "the target registry",
        "<image><to> (-Ddevplugin.image.to=" + registry + "/x)"))
        .isInstanceOf(EnvironmentError.class)
        .hasMessageContaining("Cannot reach the target registry " + registry)
        .hasMessageContaining("-Ddevplugin.image.to=" + registry + "/x")
        .hasMessageContaining("-Ddevplugin.image.target=tar");
  }

  @Test
  void aPlainHttpRegistryIsRefusedUnlessAllowed() {
    String registry = TestProjects.env("DEVPLUGIN_TEST_REGISTRY");
    assertThatThrownBy(() -> RegistryCheck.check(registry, false, "the target registry", "<image><to>"))
        .isInstanceOf(UserError.class).hasMessageContaining("speaks plain HTTP")
        .hasMessageContaining("-Ddevplugin.image.insecure=true");
    assertThatCode(() -> RegistryCheck.check(registry, true, "the target registry", "<image><to>"))
        .doesNotThrowAnyException();
  }

  @Test
  void hostAndPort() {
    assertThat(RegistryCheck.host("registry.example.com:5000")).isEqualTo("registry.example.com");
    assertThat(RegistryCheck.port("registry.example.com:5000", 443)).isEqualTo(5000);
    assertThat(RegistryCheck.port("registry.example.com", 443)).isEqualTo(443);
    assertThat(RegistryCheck.host("[::1]:5000")).isEqualTo("::1");
    assertThat(RegistryCheck.isLoopback("[::1]:5000")).isTrue();
  }
}
