package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineClientTest {
  @Test
  void talksToPodmansDockerCompatibleApi() {
    String socket = TestProjects.env("DEVPLUGIN_TEST_PODMAN_SOCKET");
    EngineClient engine = new EngineClient(null, Map.of("DOCKER_HOST", socket));
    assertThat(engine.host()).isEqualTo(socket);
    assertThatCode(engine::ping).doesNotThrowAnyException();
  }

  @Test
  void aMissingEngineFailsNamingWhereTheAddressCameFrom() {
    EngineClient fromEnv = new EngineClient(null, Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"));
    assertThatThrownBy(fromEnv::ping).isInstanceOf(EnvironmentError.class)
        .hasMessageContaining("unix:///nonexistent/docker.sock").hasMessageContaining("DOCKER_HOST")
        .hasMessageContaining("podman system service");
    EngineClient byDefault = new EngineClient(null, Map.of());
    assertThat(byDefault.host()).isEqualTo(EngineClient.DEFAULT_HOST);
    assertThatThrownBy(() -> new EngineClient("npipe:////./pipe/docker", Map.of())).isInstanceOf(UserError.class)
        .hasMessageContaining("<image><dockerHost>");
  }
}
