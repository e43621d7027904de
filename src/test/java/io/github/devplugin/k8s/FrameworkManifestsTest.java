package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.core.Problem;
import io.github.devplugin.framework.BuildPlugin;
import io.github.devplugin.framework.Coordinates;
import io.github.devplugin.framework.Dependency;
import io.github.devplugin.testing.ConfigXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifests follow the framework profile: probes, variable names, extra environment, shutdown time. */
class FrameworkManifestsTest {
  @TempDir
  Path dir;

  private static final String BASE = """
      <database><name>notes</name><user>notes</user></database>
      <cache><enabled>true</enabled></cache>
      <kubernetes><databaseUrl>jdbc:postgresql://pg:5432/notes</databaseUrl>
        <redisUrl>redis://cache:6380</redisUrl></kubernetes>
      """;

  private ProjectInfo project(Coordinates parent, Dependency... dependencies) {
    Fixtures.project(dir);
    return new ProjectInfo("com.example", "notes", "1.0.0", null, null, null, List.of(), null, dir,
        dir.resolve("target"), dir.resolve("target/classes")).withBuild(List.of(dependencies),
            List.<BuildPlugin>of(), parent, 17, Map.of());
  }

  private ProjectInfo boot() {
    String g = "org.springframework.boot";
    return project(new Coordinates(g, "spring-boot-starter-parent", "3.5.7"),
        new Dependency(g, "spring-boot-starter-web", "3.5.7", "compile", null),
        new Dependency(g, "spring-boot-starter-actuator", "3.5.7", "compile", null));
  }

  private ProjectInfo quarkus() {
    return project(null, new Dependency("io.quarkus", "quarkus-rest", "3.33.2", "compile", null),
        new Dependency("io.quarkus", "quarkus-smallrye-health", "3.33.2", "compile", null));
  }

  private record Result(List<HasMetadata> objects, List<Problem> problems) {
    <T> T one(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    Map<String, String> data() {
      return one(ConfigMap.class).getData();
    }

    Container app() {
      return one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }
  }

  private Result generate(ProjectInfo project, String xml) {
    EffectiveConfig cfg = ConfigXml.load(project, "<service><name>notes</name></service>" + xml, "dev");
    ManifestGenerator g = new ManifestGenerator(cfg, new ImageChoice("registry.example.com/notes:1.0.0", "test"));
    return new Result(g.generate(), g.problems());
  }

  @Test
  void springBootGetsActuatorProbesBootNamesAndItsEnvironment() {
    Result r = generate(boot(), BASE);
    assertThat(r.problems()).isEmpty();
    Container app = r.app();
    assertThat(app.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
    assertThat(app.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
    assertThat(app.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
    assertThat(r.data()).containsEntry("SERVER_PORT", "8080")
        .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://pg:5432/notes")
        .containsEntry("SPRING_DATASOURCE_USERNAME", "notes")
        .containsEntry("SPRING_DATA_REDIS_HOST", "cache").containsEntry("SPRING_DATA_REDIS_PORT", "6380")
        .containsEntry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true")
        .containsEntry("SERVER_SHUTDOWN", "graceful").containsEntry("SPRING_FLYWAY_ENABLED", "false")
        // grace 30 s less the 5 s preStop less 5 s for the JVM
        .containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "20s")
        .doesNotContainKeys("PORT", "DATABASE_URL", "DATABASE_USER", "REDIS_URL");
    assertThat(app.getEnv()).extracting(EnvVar::getName).containsExactly("SPRING_DATASOURCE_PASSWORD");
    assertThat(r.data().values()).noneMatch(v -> v.contains("${"));
  }

  @Test
  void theMigrationJobKeepsTheMigratorsContract() {
    Result r = generate(boot(), BASE);
    Container migrate = r.one(Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> refs = migrate.getEnv().stream().collect(Collectors.toMap(EnvVar::getName,
        e -> e.getValueFrom().getConfigMapKeyRef() != null ? e.getValueFrom().getConfigMapKeyRef().getKey()
            : "secret:" + e.getValueFrom().getSecretKeyRef().getKey()));
    assertThat(refs).containsExactlyInAnyOrderEntriesOf(Map.of("DATABASE_URL", "SPRING_DATASOURCE_URL",
        "DATABASE_USER", "SPRING_DATASOURCE_USERNAME", "DATABASE_PASSWORD", "secret:database-password"));
  }

  @Test
  void theStartupBudgetFollowsTheFrameworkAndTheCpuLimit() {
    // 5 s period: the budget over the period is the failure threshold
    assertThat(generate(boot(), BASE).app().getStartupProbe().getFailureThreshold()).isEqualTo(150 / 5);
    assertThat(generate(boot(), BASE + "<service><resources><limits><cpu>500m</cpu></limits>"
        + "<requests><cpu>250m</cpu></requests></resources></service>").app().getStartupProbe()
        .getFailureThreshold()).isEqualTo(300 / 5);
    assertThat(generate(quarkus(), BASE + "<service><resources><limits><cpu>250m</cpu></limits>"
        + "<requests><cpu>100m</cpu></requests></resources></service>").app().getStartupProbe()
        .getFailureThreshold()).isEqualTo(360 / 5);
    assertThat(generate(quarkus(), BASE).app().getStartupProbe().getFailureThreshold()).isEqualTo(120 / 5);
    // a plain service keeps 120 s; a set value wins
    assertThat(generate(project(null), BASE).app().getStartupProbe().getFailureThreshold()).isEqualTo(120 / 5);
    assertThat(generate(boot(), BASE.replace("<kubernetes>",
        "<kubernetes><probes><startupTimeoutSeconds>60</startupTimeoutSeconds></probes>")).app().getStartupProbe().getFailureThreshold()).isEqualTo(60 / 5);
    assertThat(io.github.devplugin.config.KubernetesSettings.defaultStartupTimeoutSeconds(
        io.github.devplugin.framework.Framework.SPRING_BOOT, "100m")).isEqualTo(600);
  }

  @Test
  void quarkusMigrationJobFindsTheMigrationsInTheFastJarLayout() {
    Container migrate = generate(quarkus(), BASE).one(Job.class).getSpec().getTemplate().getSpec().getContainers()
        .get(0);
    assertThat(migrate.getEnv()).filteredOn(e -> e.getName().equals("DEVPLUGIN_APP_CLASSPATH"))
        .extracting(EnvVar::getValue).containsExactly("/app/app/*:/app/lib/main/*");
    Container boot = generate(boot(), BASE).one(Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(boot.getEnv()).extracting(EnvVar::getName).doesNotContain("DEVPLUGIN_APP_CLASSPATH");
  }

  @Test
  void aSeparateManagementPortIsDeclaredAndProbed() throws Exception {
    ProjectInfo p = boot();
    Files.createDirectories(dir.resolve("src/main/resources"));
    Files.writeString(dir.resolve("src/main/resources/application.properties"), "management.server.port=9091\n");
    Container app = generate(p, BASE).app();
    assertThat(app.getPorts()).anyMatch(x -> "management".equals(x.getName()) && x.getContainerPort() == 9091);
    assertThat(app.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
  }

  @Test
  void quarkusShutdownTimeoutFollowsTheGracePeriod() {
    Result r = generate(quarkus(), BASE + """
        <environments><dev><kubernetes><preStopSeconds>10</preStopSeconds>
          <terminationGracePeriodSeconds>60</terminationGracePeriodSeconds></kubernetes></dev></environments>
        """);
    assertThat(r.problems()).isEmpty();
    assertThat(r.data()).containsEntry("QUARKUS_SHUTDOWN_TIMEOUT", "45s")
        .containsEntry("QUARKUS_HTTP_PORT", "8080").containsEntry("QUARKUS_REDIS_HOSTS", "redis://cache:6380")
        .containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
    assertThat(r.app().getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
  }

  @Test
  void withoutAHealthEndpointTheProbesCheckTheTcpPort() {
    Result r = generate(project(null, new Dependency("io.quarkus", "quarkus-rest", "3.33.2", "compile", null)), BASE);
    assertThat(r.app().getReadinessProbe().getHttpGet()).isNull();
    assertThat(r.app().getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("http");
    assertThat(r.app().getLivenessProbe().getTcpSocket()).isNotNull();
  }

  @Test
  void theUsersVariableNamesAreUsed() {
    Result r = generate(boot(), BASE.replace("<database>",
        "<service><variables><databaseUrl>MY_DB</databaseUrl><databasePassword>MY_PW</databasePassword>"
            + "</variables></service><database>"));
    assertThat(r.data()).containsEntry("MY_DB", "jdbc:postgresql://pg:5432/notes")
        .doesNotContainKey("SPRING_DATASOURCE_URL");
    assertThat(r.app().getEnv()).extracting(EnvVar::getName).containsExactly("MY_PW");
  }

  @Test
  void plainServicesKeepTodaysNamesAndPaths() {
    Fixtures.project(dir);
    EffectiveConfig cfg = ConfigXml.load(TestConfig.project(dir, "1.0.0"),
        "<service><name>notes</name></service>" + BASE, "dev");
    ManifestGenerator g = new ManifestGenerator(cfg, new ImageChoice("notes:1", "test"));
    Result r = new Result(g.generate(), g.problems());
    assertThat(r.data()).containsOnlyKeys("PORT", "DATABASE_URL", "DATABASE_USER", "REDIS_URL");
    assertThat(r.app().getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
  }

  @Test
  void referencesToReceivedValuesAreResolvedNeverLeftInTheConfigMap() {
    Fixtures.project(dir);
    EffectiveConfig cfg = ConfigXml.load(TestConfig.project(dir, "1.0.0"), """
        <service><name>notes</name><env>
          <SPRING_DATASOURCE_URL>${DATABASE_URL}</SPRING_DATASOURCE_URL>
          <JDBC_OPTS>url=$DATABASE_URL;cost=$$5</JDBC_OPTS>
          <DB_PASS>${DATABASE_PASSWORD}</DB_PASS>
        </env></service>""" + BASE, "dev");
    ManifestGenerator g = new ManifestGenerator(cfg, new ImageChoice("notes:1", "test"));
    Result r = new Result(g.generate(), g.problems());
    assertThat(r.problems()).isEmpty();
    assertThat(r.data()).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://pg:5432/notes")
        .containsEntry("JDBC_OPTS", "url=jdbc:postgresql://pg:5432/notes;cost=$5").doesNotContainKey("DB_PASS");
    // a secret: Kubernetes expands $(NAME) from the variable defined before it
    List<EnvVar> env = r.app().getEnv();
    assertThat(env).extracting(EnvVar::getName).containsExactly("DATABASE_PASSWORD", "DB_PASS");
    assertThat(env.get(1).getValue()).isEqualTo("$(DATABASE_PASSWORD)");
  }

  @Test
  void aReferenceThatCannotBeHonouredIsRefused() {
    Fixtures.project(dir);
    EffectiveConfig cfg = ConfigXml.load(TestConfig.project(dir, "1.0.0"), """
        <service><name>notes</name><env><API_URL>${API_BASE}/v1</API_URL></env></service>""" + BASE, "dev");
    ManifestGenerator g = new ManifestGenerator(cfg, new ImageChoice("notes:1", "test"));
    g.generate();
    assertThat(g.problems()).singleElement().satisfies(p -> {
      assertThat(p.element()).isEqualTo("<service><env><API_URL>");
      assertThat(p.message()).contains("${API_BASE}").contains("unexpanded");
      assertThat(p.fix()).contains("DATABASE_URL").contains("$$");
    });
  }
}
