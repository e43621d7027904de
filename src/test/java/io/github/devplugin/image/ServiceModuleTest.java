package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.config.EffectiveConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceModuleTest {
  @TempDir Path dir;

  static final String PLAIN = "<configuration><database><enabled>false</enabled></database></configuration>";

  EffectiveConfig config(String xml) {
    return TestProjects.config(TestProjects.info(dir, "1"), xml, "dev");
  }

  @Test
  void aModuleWithoutAnyMainClassIsALibrarySayingWhy() throws Exception {
    TestProjects.project(dir, Map.of("demo.Lib", "package demo; public class Lib {}"));
    assertThat(ServiceModule.libraryReason(config(PLAIN).service(), dir.resolve("target/classes"), Map.of()))
        .hasValueSatisfying(r -> assertThat(r).startsWith("is a library, not a service: <service><mainClass> is"
            + " not set").contains("no class in classes has a main method"));
    // no classes at all (an empty module) is no service either
    assertThat(ServiceModule.libraryReason(config(PLAIN).service(), dir.resolve("nothing"), Map.of())).isPresent();
  }

  @Test
  void anyMainClassMakesAService() throws Exception {
    TestProjects.project(dir, Map.of("demo.Lib", "package demo; public class Lib {}"));
    Path classes = dir.resolve("target/classes");
    assertThat(ServiceModule.libraryReason(config(PLAIN).service(), classes, Map.of("Main-Class", "demo.Lib")))
        .isEmpty();
    // a configured main class that does not exist is a service: the image goal fails on it as for any service
    assertThat(ServiceModule.libraryReason(config("<configuration><service><mainClass>demo.Nope</mainClass>"
        + "</service><database><enabled>false</enabled></database></configuration>").service(), classes, Map.of()))
        .isEmpty();
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    assertThat(ServiceModule.libraryReason(config(PLAIN).service(), classes, Map.of())).isEmpty();
  }
}
