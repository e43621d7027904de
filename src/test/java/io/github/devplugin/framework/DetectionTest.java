package io.github.devplugin.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionTest {

  static Dependency dep(String coordinates) {
    String[] p = coordinates.split(":");
    return new Dependency(p[0], p[1], p.length > 2 ? p[2] : null, p.length > 3 ? p[3] : "compile", null);
  }

  static BuildPlugin plugin(String coordinates, Map<String, String> configuration) {
    String[] p = coordinates.split(":");
    return new BuildPlugin(p[0], p[1], p.length > 2 ? p[2] : null, configuration);
  }

  @Test
  void springBoot3FromAStarterNamesTheDependencyAndVersion() {
    Detection d = Detection.detect(List.of(dep("com.fasterxml.jackson.core:jackson-databind:2.19.2"),
        dep("org.springframework.boot:spring-boot-starter-web:3.5.7")), List.of(), null);
    assertThat(d).isEqualTo(new Detection(Framework.SPRING_BOOT, "3.5.7",
        "dependency org.springframework.boot:spring-boot-starter-web:3.5.7"));
    assertThat(d.majorVersion()).isEqualTo(3);
  }

  @Test
  void springBoot4AndBoot27FromTheParent() {
    Detection boot4 = Detection.detect(List.of(dep("org.springframework.boot:spring-boot-starter-webmvc:4.0.7")),
        List.of(plugin("org.springframework.boot:spring-boot-maven-plugin:4.0.7", Map.of())),
        new Coordinates("org.springframework.boot", "spring-boot-starter-parent", "4.0.7"));
    assertThat(boot4.version()).isEqualTo("4.0.7");
    assertThat(boot4.majorVersion()).isEqualTo(4);

    Detection boot27 = Detection.detect(List.of(dep("com.example:lib:1.0")), List.of(),
        new Coordinates("org.springframework.boot", "spring-boot-starter-parent", "2.7.18"));
    assertThat(boot27).isEqualTo(new Detection(Framework.SPRING_BOOT, "2.7.18",
        "parent org.springframework.boot:spring-boot-starter-parent:2.7.18"));
  }

  @Test
  void springBootFromThePluginAlone() {
    Detection d = Detection.detect(List.of(), List.of(
        plugin("org.apache.maven.plugins:maven-compiler-plugin:3.14.0", Map.of()),
        plugin("org.springframework.boot:spring-boot-maven-plugin:3.4.1", Map.of())), null);
    assertThat(d).isEqualTo(new Detection(Framework.SPRING_BOOT, "3.4.1",
        "build plugin org.springframework.boot:spring-boot-maven-plugin:3.4.1"));
  }

  @Test
  void quarkusWinsOverItsSpringCompatibilityArtifacts() {
    Detection d = Detection.detect(List.of(dep("org.springframework.boot:spring-boot-autoconfigure:3.5.0"),
        dep("io.quarkus:quarkus-rest:3.33.2"), dep("io.quarkus:quarkus-spring-web:3.33.2")), List.of(), null);
    assertThat(d).isEqualTo(new Detection(Framework.QUARKUS, "3.33.2", "dependency io.quarkus:quarkus-rest:3.33.2"));
  }

  @Test
  void quarkusFromThePlatformPlugin() {
    Detection d = Detection.detect(List.of(),
        List.of(plugin("io.quarkus.platform:quarkus-maven-plugin:3.33.2", Map.of())), null);
    assertThat(d.framework()).isEqualTo(Framework.QUARKUS);
    assertThat(d.why()).isEqualTo("build plugin io.quarkus.platform:quarkus-maven-plugin:3.33.2");
  }

  @Test
  void micronautTakesThePlatformVersionFromItsParent() {
    Detection d = Detection.detect(List.of(dep("io.micronaut:micronaut-http-server-netty:4.9.11"),
        dep("io.micronaut.sql:micronaut-jdbc-hikari:6.2.0")), List.of(),
        new Coordinates("io.micronaut.platform", "micronaut-parent", "4.10.8"));
    assertThat(d).isEqualTo(new Detection(Framework.MICRONAUT, "4.10.8",
        "dependency io.micronaut:micronaut-http-server-netty:4.9.11"));
  }

  @Test
  void micronautFromThePluginOrParentAlone() {
    assertThat(Detection.detect(List.of(),
        List.of(plugin("io.micronaut.maven:micronaut-maven-plugin:4.11.0", Map.of())), null).framework())
        .isEqualTo(Framework.MICRONAUT);
    assertThat(Detection.detect(List.of(), List.of(),
        new Coordinates("io.micronaut.platform", "micronaut-parent", "4.10.8")).why())
        .isEqualTo("parent io.micronaut.platform:micronaut-parent:4.10.8");
  }

  @Test
  void nothingFrameworkLikeIsPlain() {
    Detection d = Detection.detect(List.of(dep("org.postgresql:postgresql:42.7.8"),
        dep("org.springframework:spring-jdbc:6.2.0")), List.of(),
        new Coordinates("com.example", "company-parent", "7"));
    assertThat(d.framework()).isEqualTo(Framework.PLAIN);
    assertThat(d.version()).isNull();
    assertThat(d.majorVersion()).isEqualTo(-1);
  }

  @Test
  void labelsRoundTripAndAutoIsAccepted() {
    for (Framework f : Framework.values()) {
      assertThat(Framework.fromLabel(f.label())).contains(f);
    }
    assertThat(Framework.fromLabel("Spring-Boot")).contains(Framework.SPRING_BOOT);
    assertThat(Framework.fromLabel("spring")).isEmpty();
    assertThat(Framework.settings()).containsExactly("auto", "spring-boot", "quarkus", "micronaut", "plain");
  }
}
