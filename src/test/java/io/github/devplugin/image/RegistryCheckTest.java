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
  void onlyARegistrysPlainHttpAnswerCountsAsPlainHttp() {
    assertThat(RegistryCheck.speaksPlainHttp("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
        + "Docker-Distribution-Api-Version: registry/2.0\r\n\r\n{}")).isTrue();
    assertThat(RegistryCheck.speaksPlainHttp("HTTP/1.1 401 Unauthorized\r\ndocker-distribution-api-version:"
        + " registry/2.0\r\nWww-Authenticate: Basic realm=x\r\n\r\n")).isTrue();
    // Go's HTTPS servers answer plain text so; not a plain-HTTP registry
    assertThat(RegistryCheck.speaksPlainHttp("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an"
        + " HTTPS server.\n")).isFalse();
    assertThat(RegistryCheck.speaksPlainHttp("HTTP/1.1 400 Bad Request\r\nDocker-Distribution-Api-Version:"
        + " registry/2.0\r\n\r\n")).isFalse();
    assertThat(RegistryCheck.speaksPlainHttp("HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n")).isFalse();
    assertThat(RegistryCheck.speaksPlainHttp("HTTP/1.1 200 OK\r\nDocker-Distribution-Api-Version: x")).isFalse();
    assertThat(RegistryCheck.speaksPlainHttp("")).isFalse();
  }

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

  @Test
  void aRegistryThatAcceptsConnectionsAndNeverAnswersFailsWithinTheProbeTimeout() throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress())) {
      java.util.List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (!silent.isClosed()) {
            accepted.add(silent.accept()); // accepted, never read, never answered
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String registry = "127.0.0.1:" + silent.getLocalPort();
      for (boolean insecure : new boolean[] {true, false}) {
        assertThatThrownBy(() -> RegistryCheck.check(registry, insecure, "the target registry",
            "<image><to> (-Ddevplugin.image.to)", null, 1500))
            .isInstanceOf(io.github.devplugin.core.EnvironmentError.class)
            .hasMessageContaining("Cannot reach the target registry " + registry)
            .hasMessageContaining("it accepts connections but did not answer within 1500 ms") // the probe's, not jib's
            .hasMessageContaining("<image><to> (-Ddevplugin.image.to)").hasMessageContaining("Fix:");
      }
      assertThat(accepted).isNotEmpty();
      for (java.net.Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void aRegistryThatAnswersSlowlyIsNotTakenForAHungOne() throws Exception {
    // a loaded build machine: the first byte after 3.5 s (the probe gave up after 3 s before; jib itself waits 20 s)
    try (java.net.ServerSocket slow = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread answerer = new Thread(() -> {
        try {
          while (!slow.isClosed()) {
            java.net.Socket s = slow.accept();
            Thread one = new Thread(() -> {
              try (s) {
                Thread.sleep(3500);
                s.getOutputStream().write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
              } catch (java.io.IOException | InterruptedException closed) {
                // the probe gave up, or the test is over
              }
            });
            one.setDaemon(true);
            one.start();
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      answerer.setDaemon(true);
      answerer.start();
      assertThatCode(() -> RegistryCheck.check("127.0.0.1:" + slow.getLocalPort(), true, "the target registry",
          "<image><to>")).doesNotThrowAnyException();
    }
  }

  @Test
  void aLoopbackBaseOverHttpWithATargetElsewhereBlamesTheTarget() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rel-loopback");
    TestProjects.project(dir, java.util.Map.of("demo.App", TestProjects.app("demo", "App", "x")));
    io.github.devplugin.config.ImageSettings unset = TestProjects.config(TestProjects.info(dir, "1.0.0"),
        "<configuration><database><enabled>false</enabled></database><image><to>registry.example.com/team/app</to>"
            + "</image></configuration>", "dev").image();
    String base = TestProjects.env("DEVPLUGIN_TEST_REGISTRY");
    String reason = ImageBuilder.loopbackOnlyReason(unset, base, "registry.example.com", "the target registry",
        "<image><to>registry.example.com/team/app</to>");
    assertThat(reason).contains("the target registry registry.example.com (<image><to>registry.example.com/team/app"
        + "</to>) is not on loopback").contains("-Ddevplugin.image.insecure=true");
    assertThatThrownBy(() -> RegistryCheck.check(base, false, "the base image's registry", "<image><from>", reason))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("The base image's registry " + base + " (<image><from>) speaks plain HTTP, and plain"
            + " HTTP is not allowed: plain HTTP is allowed without asking only when every registry")
        .hasMessageContaining("registry.example.com");
    // both on loopback, or plain HTTP decided explicitly: not the reason
    assertThat(ImageBuilder.loopbackOnlyReason(unset, base, "127.0.0.1:5999", "the target registry", "x")).isNull();
    assertThat(ImageBuilder.loopbackOnlyReason(unset, "registry.example.com", base, "the base", "x")).isNull();
  }

  @Test
  void jibsPlatformAndCredentialErrorsNameTheElementAndTheFix() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rel-translate");
    TestProjects.project(dir, java.util.Map.of("demo.App", TestProjects.app("demo", "App", "x")));
    var config = TestProjects.config(TestProjects.info(dir, "1.0.0"), "<configuration><database><enabled>false"
        + "</enabled></database><image><from>registry.example.com/base:1</from><to>registry.example.com/app</to>"
        + "<platforms>linux/amd64,linux/arm64</platforms></image></configuration>", "dev");
    ImagePlan plan = ImagePlanner.plan(config, TestProjects.inputs(dir), io.github.devplugin.core.BuildLog.NONE);
    ImageBuilder builder = new ImageBuilder(null, io.github.devplugin.core.BuildLog.NONE, dir, java.util.Map.of());
    RuntimeException platform = builder.translate(new java.util.concurrent.ExecutionException(
        new com.google.cloud.tools.jib.image.json.PlatformNotFoundInBaseImageException(
            "The base image manifest list does not contain an image for linux/arm64")), plan);
    assertThat(platform).isInstanceOf(UserError.class).hasMessageContaining("<image><platforms> [linux/amd64,"
        + " linux/arm64]").hasMessageContaining("Fix: list only platforms the base provides")
        .hasMessageContaining("<image><from>");
    java.lang.reflect.Constructor<com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException> c =
        com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException.class
            .getDeclaredConstructor(String.class, String.class);
    c.setAccessible(true);
    RuntimeException notSent = builder.translate(new java.util.concurrent.ExecutionException(
        c.newInstance("127.0.0.1:5077", "team/app")), plan);
    assertThat(notSent).isInstanceOf(UserError.class).hasMessageContaining("Credentials for a plain-HTTP registry"
        + " were not sent").hasMessageContaining("Fix: serve the registry over HTTPS")
        .hasMessageContaining("-DsendCredentialsOverHttp=true");
  }
}
