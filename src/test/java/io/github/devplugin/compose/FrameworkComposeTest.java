package io.github.devplugin.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.framework.BuildPlugin;
import io.github.devplugin.framework.Coordinates;
import io.github.devplugin.framework.Dependency;
import io.github.devplugin.testing.ConfigXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The app service follows the framework profile; the migrate service keeps the migrator's contract. */
class FrameworkComposeTest {
  @TempDir
  Path dir;

  private static final String BASE = """
      <database><enabled>true</enabled><name>notes</name><user>notes</user></database>
      <cache><enabled>true</enabled></cache>
      """;

  private ProjectInfo project(Coordinates parent, Dependency... deps) {
    return new ProjectInfo("com.example", "notes", "1.0.0", null, null, null, List.of(), null, dir,
        dir.resolve("target"), dir.resolve("target/classes")).withBuild(List.of(deps), List.<BuildPlugin>of(),
            parent, 17, Map.of());
  }

  private ProjectInfo boot() {
    String g = "org.springframework.boot";
    return project(new Coordinates(g, "spring-boot-starter-parent", "3.5.7"),
        new Dependency(g, "spring-boot-starter-web", "3.5.7", "compile", null),
        new Dependency(g, "spring-boot-starter-actuator", "3.5.7", "compile", null));
  }

  private JsonNode stack(ProjectInfo project, String xml) {
    EffectiveConfig dev = ConfigXml.load(project, "<service><name>notes</name></service>" + xml, "dev");
    ComposeGenerator.Output out = ComposeGenerator.generate(new ComposeGenerator.Input(dev, List.of(), null, null,
        dir.resolve("target/devplugin/compose")));
    return ComposeYaml.read(out.files().get(ComposeGenerator.COMPOSE_FILE)).get("services");
  }

  private static String text(JsonNode n) {
    return n.asString();
  }

  @Test
  void springBootGetsBootNamesItsEnvironmentAndTheReadinessProbe() {
    JsonNode services = stack(boot(), BASE);
    JsonNode env = services.get("notes").get("environment");
    assertThat(text(env.get("SERVER_PORT"))).isEqualTo("8080");
    assertThat(text(env.get("SPRING_DATASOURCE_URL"))).isEqualTo("jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes}");
    assertThat(text(env.get("SPRING_DATASOURCE_USERNAME"))).isEqualTo("${POSTGRES_USER:-notes}");
    assertThat(text(env.get("SPRING_DATASOURCE_PASSWORD"))).startsWith("${DATABASE_PASSWORD:?");
    assertThat(text(env.get("SPRING_DATA_REDIS_HOST"))).isEqualTo("redis");
    assertThat(text(env.get("SPRING_DATA_REDIS_PORT"))).isEqualTo("6379");
    assertThat(text(env.get("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED"))).isEqualTo("true");
    assertThat(text(env.get("SPRING_FLYWAY_ENABLED"))).isEqualTo("false");
    assertThat(text(env.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"))).isEqualTo("20s");
    assertThat(env.has("PORT") || env.has("DATABASE_URL") || env.has("REDIS_URL")).isFalse();
    assertThat(text(services.get("notes").get("stop_grace_period"))).isEqualTo("25s");
    JsonNode test = services.get("notes").get("healthcheck").get("test");
    assertThat(text(test.get(test.size() - 1))).isEqualTo("http://127.0.0.1:8080/actuator/health/readiness");

    JsonNode migrate = services.get("migrate").get("environment");
    assertThat(migrate.propertyNames()).containsExactly("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD");
  }

  @Test
  void aSeparateManagementPortIsProbed() throws Exception {
    Files.createDirectories(dir.resolve("src/main/resources"));
    Files.writeString(dir.resolve("src/main/resources/application.properties"), "management.server.port=9091\n");
    JsonNode test = stack(boot(), BASE).get("notes").get("healthcheck").get("test");
    assertThat(text(test.get(test.size() - 1))).isEqualTo("http://127.0.0.1:9091/actuator/health/readiness");
  }

  @Test
  void withoutAHealthEndpointTheCheckConnectsToThePort() {
    JsonNode app = stack(project(null, new Dependency("io.quarkus", "quarkus-rest", "3.33.2", "compile", null)),
        BASE).get("notes");
    assertThat(app.get("healthcheck").has("disable")).isFalse();
    JsonNode test = app.get("healthcheck").get("test");
    assertThat(text(test.get(0))).isEqualTo("CMD");
    assertThat(text(test.get(test.size() - 1))).isEqualTo("tcp://127.0.0.1:8080");
    assertThat(text(app.get("environment").get("QUARKUS_REDIS_HOSTS"))).isEqualTo("redis://redis:6379");
  }

  @Test
  void quarkusDevOverrideDebugsTheRunnerJarWithTheAgentOnceAndMountsNoClasses() {
    EffectiveConfig dev = ConfigXml.load(project(null, new Dependency("io.quarkus", "quarkus-rest", "3.33.2",
        "compile", null)), "<service><name>notes</name></service>" + BASE, "dev");
    ComposeGenerator.Output out = ComposeGenerator.generate(new ComposeGenerator.Input(dev, List.of(), null, null,
        dir.resolve("target/devplugin/compose")));
    JsonNode app = ComposeYaml.read(out.files().get(ComposeGenerator.DEV_OVERRIDE_FILE)).get("services").get("notes");
    List<String> entrypoint = new java.util.ArrayList<>();
    app.get("entrypoint").forEach(e -> entrypoint.add(e.asString()));
    assertThat(entrypoint).containsExactly("java",
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005", "-jar", "/app/quarkus-run.jar");
    assertThat(app.has("volumes")).as("fast-jar has no /app/classes to mount over").isFalse();
    assertThat(out.notes()).noneMatch(n -> n.contains("No debug port"));
  }

  @Test
  void quarkusMigrateFindsTheMigrationsInTheFastJarLayout() {
    JsonNode migrate = stack(project(null, new Dependency("io.quarkus", "quarkus-rest", "3.33.2", "compile", null)),
        BASE).get("migrate").get("environment");
    assertThat(migrate.propertyNames()).containsExactly("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
        "DEVPLUGIN_APP_CLASSPATH");
    assertThat(text(migrate.get("DEVPLUGIN_APP_CLASSPATH"))).isEqualTo("/app/app/*:/app/lib/main/*");
  }

  @Test
  void referencesToReceivedValuesBecomeThoseValuesAsInKubernetes() {
    JsonNode env = stack(project(null), """
        <service><env>
          <SPRING_DATASOURCE_URL>${DATABASE_URL}</SPRING_DATASOURCE_URL>
          <JDBC_OPTS>url=$DATABASE_URL;cost=$$5</JDBC_OPTS>
          <DB_PASS>${DATABASE_PASSWORD}</DB_PASS>
        </env></service>""" + BASE).get("notes").get("environment");
    assertThat(text(env.get("SPRING_DATASOURCE_URL"))).isEqualTo("jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes}");
    assertThat(text(env.get("JDBC_OPTS"))).isEqualTo("url=jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes};cost=$$5");
    assertThat(text(env.get("DB_PASS"))).startsWith("${DATABASE_PASSWORD:?");
  }

  @Test
  void aReferenceToNothingIsRefused() {
    assertThatThrownBy(() -> stack(project(null), """
        <service><env><API_URL>${API_BASE}/v1</API_URL></env></service>""" + BASE))
        .isInstanceOf(ProblemsException.class)
        .hasMessageContaining("<service><env><API_URL>").hasMessageContaining("${API_BASE}")
        .hasMessageContaining("DATABASE_URL");
  }

  @Test
  void theUsersVariableNamesAreUsed() {
    JsonNode env = stack(boot(), "<service><variables><databaseUrl>MY_DB</databaseUrl></variables></service>"
        + BASE).get("notes").get("environment");
    assertThat(env.has("MY_DB")).isTrue();
    assertThat(env.has("SPRING_DATASOURCE_URL")).isFalse();
  }
}
