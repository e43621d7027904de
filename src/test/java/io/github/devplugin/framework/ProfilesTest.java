package io.github.devplugin.framework;

import static io.github.devplugin.framework.DetectionTest.dep;
import static io.github.devplugin.framework.DetectionTest.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfilesTest {

  private static Profiles.Inputs inputs(List<Dependency> deps, List<BuildPlugin> plugins, Map<String, String> props,
      Map<String, String> appProps, Map<String, String> env) {
    return new Profiles.Inputs(deps, plugins, props, appProps, env, "/health", false);
  }

  private static FrameworkProfile profile(List<Dependency> deps, List<BuildPlugin> plugins, Map<String, String> props,
      Map<String, String> appProps, Map<String, String> env) {
    return Profiles.of(Detection.detect(deps, plugins, null), inputs(deps, plugins, props, appProps, env));
  }

  @Test
  void springBoot3WithActuator() {
    FrameworkProfile p = profile(List.of(dep("org.springframework.boot:spring-boot-starter-web:3.5.7"),
        dep("org.springframework.boot:spring-boot-starter-actuator:3.5.7")),
        List.of(plugin("org.springframework.boot:spring-boot-maven-plugin:3.5.7", Map.of("mainClass", "x.App"))),
        Map.of(), Map.of(), Map.of());
    assertThat(p.liveness()).isEqualTo(Probe.managementHttp("/actuator/health/liveness"));
    assertThat(p.readiness()).isEqualTo(Probe.managementHttp("/actuator/health/readiness"));
    assertThat(p.startup().path()).isEqualTo("/actuator/health/liveness");
    assertThat(p.environment()).containsExactly(Map.entry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true"),
        Map.entry("SERVER_SHUTDOWN", "graceful"));
    assertThat(p.environment(true)).containsEntry("SPRING_FLYWAY_ENABLED", "false");
    assertThat(p.environment(false)).doesNotContainKey("SPRING_FLYWAY_ENABLED");
    assertThat(p.variables()).isEqualTo(new Variables("SERVER_PORT", "SPRING_DATASOURCE_URL",
        "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", null, "SPRING_DATA_REDIS_HOST",
        "SPRING_DATA_REDIS_PORT"));
    assertThat(p.excludedArtifacts()).containsExactly("org.springframework.boot:spring-boot-devtools",
        "org.springframework.boot:spring-boot-docker-compose", "org.springframework.boot:spring-boot-testcontainers");
    assertThat(p.excludes(dep("org.springframework.boot:spring-boot-devtools:3.5.7:runtime"))).isTrue();
    assertThat(p.excludes(dep("org.springframework.boot:spring-boot-starter-web:3.5.7"))).isFalse();
    assertThat(p.launch().kind()).isEqualTo(Launch.Kind.CLASSPATH);
    assertThat(p.launch().manifestAttribute()).isEqualTo("Start-Class");
    assertThat(p.launch().configuredMainClass()).isEqualTo("x.App");
    assertThat(p.launch().launcherClasses()).contains("org.springframework.boot.loader.launch.JarLauncher",
        "org.springframework.boot.loader.JarLauncher");
    assertThat(p.managementPort()).isNull();
    assertThat(p.notes()).isEmpty();
  }

  @Test
  void springBoot27ReadsTheOldRedisNames() {
    List<Dependency> deps = List.of(dep("org.springframework.boot:spring-boot-starter-web:2.7.18"));
    FrameworkProfile p = profile(deps, List.of(), Map.of(), Map.of(), Map.of());
    assertThat(p.variables().redisHost()).isEqualTo("SPRING_REDIS_HOST");
    assertThat(p.variables().redisPort()).isEqualTo("SPRING_REDIS_PORT");
    FrameworkProfile boot4 = profile(List.of(dep("org.springframework.boot:spring-boot-starter-webmvc:4.0.7")),
        List.of(), Map.of(), Map.of(), Map.of());
    assertThat(boot4.variables().redisHost()).isEqualTo("SPRING_DATA_REDIS_HOST");
  }

  @Test
  void springBootWithoutActuatorSaysTheProbesAreTcpChecks() {
    FrameworkProfile p = profile(List.of(dep("org.springframework.boot:spring-boot-starter-web:3.5.7")), List.of(),
        Map.of(), Map.of(), Map.of());
    assertThat(p.liveness().isHttp()).isFalse();
    assertThat(p.readiness()).isEqualTo(Probe.tcp());
    assertThat(p.environment()).doesNotContainKey("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED");
    assertThat(p.notes()).singleElement().asString().contains("no Spring Boot Actuator")
        .contains("spring-boot-starter-actuator");
  }

  @Test
  void springBootManagementPortFromTheEnvironmentOrApplicationProperties() {
    List<Dependency> deps = List.of(dep("org.springframework.boot:spring-boot-starter-actuator:3.5.7"));
    FrameworkProfile fromProps = profile(deps, List.of(), Map.of(), Map.of("management.server.port", "8081"),
        Map.of());
    assertThat(fromProps.managementPort()).isEqualTo(8081);
    assertThat(fromProps.liveness().port(8080, fromProps.managementPort())).isEqualTo(8081);
    FrameworkProfile fromEnv = profile(deps, List.of(), Map.of(), Map.of("management.server.port", "8081"),
        Map.of("MANAGEMENT_SERVER_PORT", "9001"));
    assertThat(fromEnv.managementPort()).isEqualTo(9001);
    FrameworkProfile same = profile(deps, List.of(), Map.of(), Map.of("management.server.port", "${MGMT}"), Map.of());
    assertThat(same.managementPort()).isNull();
    assertThat(same.liveness().port(8080, same.managementPort())).isEqualTo(8080);
  }

  @Test
  void springBootMainClassFromTheStartClassPropertyWhenThePluginHasNone() {
    FrameworkProfile p = profile(List.of(dep("org.springframework.boot:spring-boot-starter:3.5.7")),
        List.of(plugin("org.springframework.boot:spring-boot-maven-plugin:3.5.7",
            Map.of("mainClass", "${start-class}"))), Map.of("start-class", "com.example.Main"), Map.of(), Map.of());
    assertThat(p.launch().configuredMainClass()).isEqualTo("com.example.Main");
  }

  @Test
  void quarkusWithSmallRyeHealthRunsTheFastJar() {
    FrameworkProfile p = profile(List.of(dep("io.quarkus:quarkus-rest:3.33.2"),
        dep("io.quarkus:quarkus-smallrye-health:3.33.2")), List.of(), Map.of(), Map.of(), Map.of());
    assertThat(List.of(p.liveness().path(), p.readiness().path(), p.startup().path()))
        .containsExactly("/q/health/live", "/q/health/ready", "/q/health/started");
    assertThat(p.variables().byKey()).containsExactly(Map.entry("port", "QUARKUS_HTTP_PORT"),
        Map.entry("databaseUrl", "QUARKUS_DATASOURCE_JDBC_URL"),
        Map.entry("databaseUser", "QUARKUS_DATASOURCE_USERNAME"),
        Map.entry("databasePassword", "QUARKUS_DATASOURCE_PASSWORD"), Map.entry("redisUrl", "QUARKUS_REDIS_HOSTS"));
    assertThat(p.environment(true)).containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
        .containsEntry("QUARKUS_SHUTDOWN_TIMEOUT", "20s");
    assertThat(p.launch()).isEqualTo(new Launch(Launch.Kind.FAST_JAR, "Main-Class", null,
        "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), "quarkus-app", "quarkus-run.jar"));
  }

  @Test
  void quarkusWithoutHealthFallsBackToTcp() {
    FrameworkProfile p = profile(List.of(dep("io.quarkus:quarkus-rest:3.33.2")), List.of(), Map.of(), Map.of(),
        Map.of());
    assertThat(p.liveness()).isEqualTo(Probe.tcp());
    assertThat(p.notes()).singleElement().asString().contains("quarkus-smallrye-health");
  }

  @Test
  void micronautWithManagement() {
    List<Dependency> deps = List.of(dep("io.micronaut:micronaut-http-server-netty:4.10.8"),
        dep("io.micronaut:micronaut-management:4.10.8"));
    FrameworkProfile p = Profiles.of(Detection.detect(deps, List.of(),
        new Coordinates("io.micronaut.platform", "micronaut-parent", "4.10.8")),
        inputs(deps, List.of(), Map.of("exec.mainClass", "it.App"), Map.of(), Map.of()));
    assertThat(p.liveness().path()).isEqualTo("/health/liveness");
    assertThat(p.readiness().path()).isEqualTo("/health/readiness");
    assertThat(p.variables()).isEqualTo(new Variables("MICRONAUT_SERVER_PORT", "DATASOURCES_DEFAULT_URL",
        "DATASOURCES_DEFAULT_USERNAME", "DATASOURCES_DEFAULT_PASSWORD", "REDIS_URI", null, null));
    assertThat(p.environment(true)).containsExactly(Map.entry("FLYWAY_DATASOURCES_DEFAULT_ENABLED", "false"),
        Map.entry("MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_ENABLED", "true"));
    assertThat(p.launch().configuredMainClass()).isEqualTo("it.App");
    assertThat(p.launch().manifestAttribute()).isEqualTo("Main-Class");
  }

  @Test
  void micronautBefore49HasNoGracefulShutdownAndSaysSo() {
    List<Dependency> deps = List.of(dep("io.micronaut:micronaut-http-server-netty:4.8.2"));
    FrameworkProfile p = profile(deps, List.of(), Map.of(), Map.of(), Map.of());
    assertThat(p.environment()).isEmpty();
    assertThat(p.notes()).anyMatch(n -> n.contains("graceful shutdown needs Micronaut 4.9"));
    assertThat(p.notes()).anyMatch(n -> n.contains("no micronaut-management"));
  }

  @Test
  void plainKeepsTodaysNamesAndTheHealthPath() {
    Profiles.Inputs in = new Profiles.Inputs(List.of(), List.of(), Map.of(), Map.of(), Map.of(), "/status", true);
    FrameworkProfile p = Profiles.of(Detection.detect(List.of(), List.of(), null), in);
    assertThat(p.liveness()).isEqualTo(Probe.http("/status"));
    assertThat(p.variables()).isEqualTo(new Variables("PORT", "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
        "REDIS_URL", null, null));
    assertThat(p.environment(true)).isEmpty();
    assertThat(p.launch().manifestAttribute()).isEqualTo("Main-Class");
  }

  @Test
  void anExplicitHealthPathWinsForEveryFramework() {
    List<Dependency> deps = List.of(dep("io.quarkus:quarkus-smallrye-health:3.33.2"));
    FrameworkProfile p = Profiles.of(Detection.detect(deps, List.of(), null),
        new Profiles.Inputs(deps, List.of(), Map.of(), Map.of(), Map.of(), "/ping", true));
    assertThat(List.of(p.liveness(), p.readiness(), p.startup())).containsOnly(Probe.http("/ping"));
    assertThat(p.notes()).anyMatch(n -> n.contains("<service><healthPath> /ping"));
  }

  @Test
  void userVariablesReplaceOnlyTheNamedOnes() {
    Variables boot = new Variables("SERVER_PORT", "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
        "SPRING_DATASOURCE_PASSWORD", null, "SPRING_DATA_REDIS_HOST", "SPRING_DATA_REDIS_PORT");
    Variables mine = boot.with(Map.of("databaseUrl", "MY_DB", "redisUrl", "SPRING_DATA_REDIS_URL"));
    assertThat(mine.databaseUrl()).isEqualTo("MY_DB");
    assertThat(mine.redisUrl()).isEqualTo("SPRING_DATA_REDIS_URL");
    assertThat(mine.port()).isEqualTo("SERVER_PORT");
    assertThat(mine.redisHost()).isEqualTo("SPRING_DATA_REDIS_HOST");
  }
}
