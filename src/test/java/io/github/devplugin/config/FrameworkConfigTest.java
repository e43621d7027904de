package io.github.devplugin.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.Problem;
import io.github.devplugin.framework.BuildPlugin;
import io.github.devplugin.framework.Coordinates;
import io.github.devplugin.framework.Dependency;
import io.github.devplugin.framework.Framework;
import io.github.devplugin.framework.ResolvedFramework;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <service><framework>}, {@code -Ddevplugin.framework} and {@code <service><variables>}. */
class FrameworkConfigTest {
  @TempDir
  Path dir;

  private ProjectInfo bootProject() {
    return new ProjectInfo("com.example", "notes", "1.0.0", null, null, null, List.of(), null, dir,
        dir.resolve("target"), dir.resolve("target/classes")).withBuild(
            List.of(new Dependency("org.springframework.boot", "spring-boot-starter-web", "3.5.7", "compile", null),
                new Dependency("org.springframework.boot", "spring-boot-starter-actuator", "3.5.7", "compile", null)),
            List.of(new BuildPlugin("org.springframework.boot", "spring-boot-maven-plugin", "3.5.7", Map.of())),
            new Coordinates("org.springframework.boot", "spring-boot-starter-parent", "3.5.7"), 17, Map.of());
  }

  private EffectiveConfig load(ProjectInfo project, Consumer<ConfigNode.Builder> service,
      ConfigLoader.Override... overrides) {
    Map<String, ConfigNode> base = new LinkedHashMap<>();
    ConfigNode.Builder b = ConfigNode.builder("service", "<service>");
    service.accept(b);
    base.put("service", b.build());
    return ConfigLoader.load(project, base, null, List.of(overrides), "dev");
  }

  private static List<String> problems(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("expected a ConfigException");
  }

  @Test
  void autoDetectsAndTracesTheSettingAndTheVariableNames() {
    EffectiveConfig c = load(bootProject(), s -> {});
    ResolvedFramework f = c.service().framework();
    assertThat(f.framework()).isEqualTo(Framework.SPRING_BOOT);
    assertThat(f.summary()).isEqualTo(
        "spring-boot 3.5.7 (detected: dependency org.springframework.boot:spring-boot-starter-web:3.5.7)");
    assertThat(c.trace()).anySatisfy(t -> {
      assertThat(t.path()).isEqualTo("service.framework");
      assertThat(t.value()).isEqualTo("auto");
    });
    assertThat(c.trace()).anySatisfy(t -> {
      assertThat(t.path()).isEqualTo("service.variables.databaseUrl");
      assertThat(t.value()).isEqualTo("SPRING_DATASOURCE_URL");
      assertThat(t.origin()).isEqualTo(Section.DEFAULT);
    });
  }

  @Test
  void userVariablesAreAppliedToTheProfile() {
    EffectiveConfig c = load(bootProject(), s -> s.child("variables", v -> v.leaf("databaseUrl", "MY_DB")
        .leaf("redisUrl", "SPRING_DATA_REDIS_URL")));
    var vars = c.service().framework().profile().variables();
    assertThat(vars.databaseUrl()).isEqualTo("MY_DB");
    assertThat(vars.redisUrl()).isEqualTo("SPRING_DATA_REDIS_URL");
    assertThat(vars.databaseUser()).isEqualTo("SPRING_DATASOURCE_USERNAME");
  }

  @Test
  void theOverrideChoosesTheFrameworkAndSaysWhere() {
    EffectiveConfig c = load(bootProject(), s -> s.leaf("framework", "plain"),
        new ConfigLoader.Override("service.framework", "quarkus", "-Ddevplugin.framework"));
    ResolvedFramework f = c.service().framework();
    assertThat(f.framework()).isEqualTo(Framework.QUARKUS);
    assertThat(f.version()).isNull();
    assertThat(f.summary()).isEqualTo("quarkus (set by -Ddevplugin.framework)");
    assertThat(f.profile().variables().port()).isEqualTo("QUARKUS_HTTP_PORT");
  }

  @Test
  void choosingTheDetectedFrameworkKeepsItsVersion() {
    ResolvedFramework f = load(bootProject(), s -> s.leaf("framework", "spring-boot")).service().framework();
    assertThat(f.summary()).isEqualTo("spring-boot 3.5.7 (set by <service><framework>)");
  }

  @Test
  void anUnknownFrameworkNamesTheElementTheValuesAndTheClosest() {
    assertThat(problems(() -> load(bootProject(), s -> s.leaf("framework", "springboot")))).containsExactly(
        "<service><framework>: 'springboot' is not a framework devplugin knows. Did you mean 'spring-boot'? Fix: use"
            + " one of auto, spring-boot, quarkus, micronaut, plain (auto detects it from the dependencies).");
    assertThat(problems(() -> load(bootProject(), s -> {},
        new ConfigLoader.Override("service.framework", "grails", "-Ddevplugin.framework")))).containsExactly(
        "-Ddevplugin.framework: 'grails' is not a framework devplugin knows. Fix: use one of auto, spring-boot,"
            + " quarkus, micronaut, plain (auto detects it from the dependencies).");
  }

  @Test
  void badVariableNamesAndUnknownVariableKeysAreReported() {
    assertThat(problems(() -> load(bootProject(), s -> s.child("variables", v -> v.leaf("databaseUrl", "MY-DB")
        .leaf("dbUrl", "X"))))).contains(
        "<service><variables><databaseUrl>: 'MY-DB' is not a valid environment variable name. Fix: use letters,"
            + " digits and '_', not starting with a digit, e.g. <databaseUrl>MY_DATABASE_URL</databaseUrl>.")
        .anyMatch(l -> l.startsWith("<service><variables><dbUrl>: is not a devplugin setting here."));
  }

  @Test
  void managementPortFromApplicationProperties() throws Exception {
    Files.createDirectories(dir.resolve("src/main/resources"));
    Files.writeString(dir.resolve("src/main/resources/application.properties"), "management.server.port=8081\n");
    EffectiveConfig c = load(bootProject(), s -> {});
    assertThat(c.service().framework().profile().managementPort()).isEqualTo(8081);
    assertThat(ConfigReport.lines(c, List.of())).contains("  probes: liveness GET /actuator/health/liveness on"
        + " management port 8081, readiness GET /actuator/health/readiness on management port 8081, startup GET"
        + " /actuator/health/liveness on management port 8081");
  }

  @Test
  void theReportShowsTheFrameworkAndWhatItGets() {
    EffectiveConfig c = load(bootProject(), s -> {});
    List<String> lines = ConfigReport.lines(c, List.of());
    assertThat(lines).contains(
        "Framework: spring-boot 3.5.7 (detected: dependency org.springframework.boot:spring-boot-starter-web:3.5.7)",
        "  probes: liveness GET /actuator/health/liveness, readiness GET"
            + " /actuator/health/readiness, startup GET /actuator/health/liveness",
        "  variables: port=SERVER_PORT, databaseUrl=SPRING_DATASOURCE_URL, databaseUser=SPRING_DATASOURCE_USERNAME,"
            + " databasePassword=SPRING_DATASOURCE_PASSWORD, redisHost=SPRING_DATA_REDIS_HOST,"
            + " redisPort=SPRING_DATA_REDIS_PORT",
        "  environment: MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=true, SERVER_SHUTDOWN=graceful",
        "  when devplugin migrates: SPRING_FLYWAY_ENABLED=false");
    assertThat(ConfigReport.json(c, List.of())).contains("\"why\" : \"dependency"
        + " org.springframework.boot:spring-boot-starter-web:3.5.7\"");
  }

  @Test
  void projectInfoReadsJavaReleases() {
    assertThat(ProjectInfo.javaRelease("21")).isEqualTo(21);
    assertThat(ProjectInfo.javaRelease("1.8")).isEqualTo(8);
    assertThat(ProjectInfo.javaRelease("${java.version}")).isNull();
    assertThat(ProjectInfo.javaRelease(null)).isNull();
    ProjectInfo plain = new ProjectInfo("g", "a", "1", null, null, null, null, null, dir, dir, dir);
    assertThat(plain.dependencies()).isEmpty();
    assertThat(plain.javaRelease()).isNull();
    assertThat(bootProject().javaRelease()).isEqualTo(17);
  }

  @Test
  void thePropertyIsInTheOverrideTable() {
    assertThat(OverrideProperties.setting("service.framework"))
        .isEqualTo("<service><framework> (-Ddevplugin.framework)");
  }

  @Test
  void aPlainProjectKeepsTodaysNames() {
    ProjectInfo plain = new ProjectInfo("g", "plain-service", "1", null, null, null, null, null, dir, dir, dir);
    ResolvedFramework f = load(plain, s -> {}).service().framework();
    assertThat(f.framework()).isEqualTo(Framework.PLAIN);
    assertThat(f.profile().variables().databaseUrl()).isEqualTo("DATABASE_URL");
    assertThat(f.profile().liveness().path()).isEqualTo("/health");
    assertThat(load(plain, s -> s.leaf("framework", "AUTO")).service().framework().setting()).isEqualTo("auto");
  }
}
