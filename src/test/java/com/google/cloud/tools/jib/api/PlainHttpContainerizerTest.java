package com.google.cloud.tools.jib.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.configuration.BuildContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jib-core still has the failover history that {@link PlainHttpContainerizer} fills (a jib-core upgrade
 * that drops it fails here, not in users' builds, where it would only be slower).
 */
class PlainHttpContainerizerTest {
  @TempDir
  Path dir;

  @Test
  void theBundledJibCoreHasTheFailoverHistoryAndItTakesThePlainHttpRegistries() throws Exception {
    assertThat(PlainHttpContainerizer.problem()).isNull();
    assertThat(PlainHttpContainerizer.available()).isTrue();
    Containerizer c = Containerizer.to(RegistryImage.named("127.0.0.1:5999/demo")).setAllowInsecureRegistries(true)
        .setApplicationLayersCache(dir.resolve("app")).setBaseImageLayersCache(dir.resolve("base"));
    try (BuildContext context = Jib.fromScratch().toBuildContext(c)) {
      assertThat(PlainHttpContainerizer.history(context, "127.0.0.1:5999")).isNull();
      PlainHttpContainerizer.seed(context, java.util.Set.of("127.0.0.1:5999"));
      assertThat(String.valueOf(PlainHttpContainerizer.history(context, "127.0.0.1:5999"))).isEqualTo("HTTP");
    }
  }
}
