package io.github.devplugin.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.ConfigException;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.UserError;
import io.github.devplugin.image.ImageLayout;
import io.github.devplugin.image.ImageRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ComposeGeneratorTest {
  static final String NOTES = """
      <service><name>notes</name><port>8080</port><healthPath>/health</healthPath>
        <env><LOG_LEVEL>info</LOG_LEVEL></env>
        <resources><requests><cpu>100m</cpu><memory>128Mi</memory></requests>
          <limits><cpu>500m</cpu><memory>256Mi</memory></limits></resources>
      </service>
      <database><enabled>true</enabled><name>notes</name><user>notes</user>
        <passwordSecret>DATABASE_PASSWORD</passwordSecret></database>
      <cache><enabled>true</enabled></cache>
      <secrets>
        <secret><name>DATABASE_PASSWORD</name><env>NOTES_DB_PASSWORD</env></secret>
        <secret><name>API_TOKEN</name><env>NOTES_API_TOKEN</env><optional>true</optional></secret>
      </secrets>
      <environments>
        <dev><service><env><LOG_LEVEL>debug</LOG_LEVEL></env></service></dev>
        <staging><service><replicas>2</replicas></service></staging>
        <prod><service><resources><limits><memory>512Mi</memory></limits></resources></service>
          <compose><restart>always</restart></compose></prod>
      </environments>
      """;

  @TempDir
  Path project;

  ComposeGenerator.Output generate(String xml, ImageRecord image, String mainClass) {
    Map<String, EffectiveConfig> configs = Fixture.load(project, xml);
    return ComposeGenerator.generate(Fixture.input(configs, project.resolve("target/devplugin/compose"), image,
        mainClass));
  }

  static JsonNode yaml(ComposeGenerator.Output out, String file) {
    assertThat(out.files()).containsKey(file);
    return ComposeYaml.read(out.files().get(file));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  @Test
  void theStackHasTheServiceMigrationsPostgresRedisAndTheTools() {
    ComposeGenerator.Output out = generate(NOTES, null, "io.example.Main");
    assertThat(out.files().keySet()).containsExactly("docker-compose.yml", "docker-compose.override.yml",
        "docker-compose.prod.yml", "docker-compose.staging.yml", ".env.example");
    JsonNode base = yaml(out, "docker-compose.yml");
    assertThat(base.has("version")).as("no version key (current Compose Specification)").isFalse();
    assertThat(base.get("services").propertyNames()).containsExactly("notes", "migrate", "postgres", "redis",
        "adminer", "redis-ui");
    JsonNode app = base.get("services").get("notes");
    List<String> test = strings(app.get("healthcheck").get("test"));
    assertThat(test.get(0)).isEqualTo("CMD");
    assertThat(test.subList(1, test.size())).isEqualTo(ImageLayout.healthCheckCommand(8080, "/health"));
    assertThat(app.get("healthcheck").get("start_period").asString()).isEqualTo("90s");
    assertThat(app.get("depends_on").get("postgres").get("condition").asString()).isEqualTo("service_healthy");
    assertThat(app.get("depends_on").get("redis").get("condition").asString()).isEqualTo("service_healthy");
    assertThat(app.get("depends_on").get("migrate").get("condition").asString())
        .isEqualTo("service_completed_successfully");
    JsonNode env = app.get("environment");
    assertThat(env.get("PORT").asString()).isEqualTo("8080");
    assertThat(env.get("LOG_LEVEL").asString()).isEqualTo("debug");
    assertThat(env.get("DATABASE_URL").asString()).isEqualTo("jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes}");
    assertThat(env.get("DATABASE_USER").asString()).isEqualTo("${POSTGRES_USER:-notes}");
    assertThat(env.get("DATABASE_PASSWORD").asString()).startsWith("${DATABASE_PASSWORD:?");
    assertThat(env.get("REDIS_URL").asString()).isEqualTo("redis://redis:6379");
    assertThat(env.get("API_TOKEN").asString()).isEqualTo("${API_TOKEN:-}");
    assertThat(strings(app.get("ports"))).containsExactly("${APP_PORT:-8080}:8080");
    // no image recorded: built from the Dockerfile's dev target, in the context the dockerfile goal stages
    assertThat(app.get("build").get("target").asString()).isEqualTo("dev");
    assertThat(app.get("build").get("context").asString()).isEqualTo("../docker");
    assertThat(app.get("build").get("dockerfile").asString()).isEqualTo("Dockerfile");
    assertThat(out.notes()).anyMatch(n -> n.contains(ComposeGenerator.DOCKERFILE) && n.contains("does not exist"));

    JsonNode migrate = base.get("services").get("migrate");
    assertThat(strings(migrate.get("entrypoint"))).isEqualTo(ImageLayout.migrateCommand());
    assertThat(migrate.get("build")).isEqualTo(app.get("build"));
    assertThat(migrate.get("depends_on").get("postgres").get("condition").asString()).isEqualTo("service_healthy");
    assertThat(migrate.get("restart").asString()).isEqualTo("no");
    assertThat(migrate.get("environment").get("DATABASE_URL")).isEqualTo(env.get("DATABASE_URL"));

    JsonNode pg = base.get("services").get("postgres");
    assertThat(pg.get("image").asString()).isEqualTo("postgres:18.1-alpine");
    assertThat(strings(pg.get("volumes"))).containsExactly("postgres-data:/var/lib/postgresql");
    assertThat(strings(pg.get("healthcheck").get("test"))).startsWith("CMD", "pg_isready", "-h", "127.0.0.1");
    assertThat(pg.get("healthcheck").get("start_period").asString()).isEqualTo("60s");
    assertThat(pg.get("environment").get("POSTGRES_PASSWORD")).isEqualTo(env.get("DATABASE_PASSWORD"));
    JsonNode redis = base.get("services").get("redis");
    assertThat(strings(redis.get("healthcheck").get("test"))).containsExactly("CMD", "redis-cli", "-h", "127.0.0.1",
        "-p", "6379", "ping");
    assertThat(strings(redis.get("volumes"))).containsExactly("redis-data:/data");
    assertThat(base.get("volumes").propertyNames()).containsExactly("postgres-data", "redis-data");
    for (String tool : List.of("adminer", "redis-ui")) {
      JsonNode t = base.get("services").get(tool);
      assertThat(strings(t.get("profiles"))).containsExactly("tools");
      assertThat(t.get("healthcheck").get("test").get(0).asString()).isEqualTo("CMD");
      assertThat(strings(t.get("ports")).get(0)).startsWith("127.0.0.1:");
    }
    // no shell anywhere: every long-running service's health check is the exec form; the one-shot migration's
    // health is its exit code
    base.get("services").propertyNames().forEach(name -> {
      JsonNode h = base.get("services").get(name).get("healthcheck");
      if (name.equals("migrate")) {
        assertThat(h.get("disable").asBoolean()).isTrue();
      } else {
        assertThat(h.get("test").get(0).asString()).as(name).isEqualTo("CMD");
      }
    });
  }

  @Test
  void composeStartPeriodSetsTheServicesHealthCheckStartPeriodOnly() {
    ComposeGenerator.Output out = generate(NOTES.replace("</cache>", "</cache><compose><startPeriod>5</startPeriod>"
        + "</compose>"), null, "io.example.Main");
    JsonNode services = yaml(out, "docker-compose.yml").get("services");
    assertThat(services.get("notes").get("healthcheck").get("start_period").asString()).isEqualTo("5s");
    assertThat(services.get("postgres").get("healthcheck").get("start_period").asString()).isEqualTo("60s");
    assertThatThrownBy(() -> generate(NOTES.replace("</cache>", "</cache><compose><startPeriod>-1</startPeriod>"
        + "</compose>"), null, "io.example.Main")).hasMessageContaining("<compose><startPeriod>");
  }

  @Test
  void devOverrideHasTheDebugPortAndTheClassMountsAndPublishesTheDatabasesOnLoopback() {
    ComposeGenerator.Output out = generate(NOTES, null, "io.example.Main");
    JsonNode dev = yaml(out, "docker-compose.override.yml").get("services");
    List<String> entrypoint = strings(dev.get("notes").get("entrypoint"));
    assertThat(entrypoint).containsExactly("java",
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005",
        "-cp", "/app/resources:/app/classes:/app/libs/*", "io.example.Main");
    assertThat(strings(dev.get("notes").get("ports"))).containsExactly("127.0.0.1:${DEBUG_PORT:-5005}:5005");
    assertThat(strings(dev.get("notes").get("volumes"))).containsExactly("../../classes:/app/classes:ro",
        "../../classes:/app/resources:ro");
    assertThat(strings(dev.get("postgres").get("ports"))).containsExactly("127.0.0.1:${POSTGRES_PORT:-15432}:5432");
    assertThat(strings(dev.get("redis").get("ports"))).containsExactly("127.0.0.1:${REDIS_PORT:-6379}:6379");
  }

  @Test
  void withoutAMainClassTheDevOverrideHasNoDebugPortAndSaysWhy() {
    ComposeGenerator.Output out = generate(NOTES, null, null);
    JsonNode dev = yaml(out, "docker-compose.override.yml").get("services");
    assertThat(dev.get("notes").has("entrypoint")).isFalse();
    assertThat(dev.get("notes").has("ports")).isFalse();
    assertThat(out.notes()).anyMatch(n -> n.contains("<service><mainClass>"));
  }

  @Test
  void environmentOverridesHaveLimitsRestartPoliciesAndTheirOwnValuesButNoMountsNorDebugPort() {
    ComposeGenerator.Output out = generate(NOTES, null, "io.example.Main");
    for (String env : List.of("staging", "prod")) {
      String file = "docker-compose." + env + ".yml";
      String text = out.files().get(file);
      assertThat(text).doesNotContain("jdwp").doesNotContain("DEBUG_PORT").doesNotContain("classes")
          .doesNotContain("volumes").doesNotContain("entrypoint").doesNotContain("ports");
      JsonNode s = yaml(out, file).get("services");
      assertThat(s.get("notes").get("build").get("target").asString()).isEqualTo(env);
      assertThat(s.get("migrate").get("build").get("target").asString()).isEqualTo(env);
      assertThat(s.get("migrate").has("restart")).isFalse();
      // the base says debug; these environments inherit the POM's info
      assertThat(s.get("notes").get("environment").get("LOG_LEVEL").asString()).isEqualTo("info");
      assertThat(s.get("notes").get("deploy").get("resources").get("reservations").get("memory").asString())
          .isEqualTo("128m");
      assertThat(s.get("notes").get("deploy").get("resources").get("limits").get("cpus").asString()).isEqualTo("0.5");
      assertThat(s.has("adminer")).isFalse();
    }
    JsonNode staging = yaml(out, "docker-compose.staging.yml").get("services");
    assertThat(staging.get("notes").get("restart").asString()).isEqualTo("unless-stopped");
    assertThat(staging.get("postgres").get("restart").asString()).isEqualTo("unless-stopped");
    assertThat(staging.get("notes").get("deploy").get("resources").get("limits").get("memory").asString())
        .isEqualTo("256m");
    JsonNode prod = yaml(out, "docker-compose.prod.yml").get("services");
    assertThat(prod.get("redis").get("restart").asString()).isEqualTo("always");
    assertThat(prod.get("notes").get("deploy").get("resources").get("limits").get("memory").asString())
        .isEqualTo("512m");
  }

  @Test
  void aBuiltImageIsDeployedByItsDigestPinnedReferenceInTheServiceAndTheMigration() {
    String ref = "127.0.0.1:5077/it/notes@sha256:" + "a".repeat(64);
    ImageRecord image = new ImageRecord("127.0.0.1:5077/it/notes", List.of("1.0.0"), "sha256:" + "a".repeat(64),
        "sha256:" + "b".repeat(64), ref, "registry", null, List.of("linux/amd64"));
    ComposeGenerator.Output out = generate(NOTES, image, "io.example.Main");
    JsonNode s = yaml(out, "docker-compose.yml").get("services");
    assertThat(s.get("notes").get("image").asString()).isEqualTo(ref);
    assertThat(s.get("migrate").get("image").asString()).isEqualTo(ref);
    assertThat(s.get("notes").has("build")).isFalse();
    assertThat(out.files().get("docker-compose.prod.yml")).doesNotContain("build");
    assertThat(out.notes()).noneMatch(n -> n.contains("Dockerfile"));
  }

  @Test
  void anImageBuiltForAnotherEnvironmentIsNamedNotCalledAbsent() {
    String ref = "127.0.0.1:5077/it/notes@sha256:" + "a".repeat(64);
    ImageRecord prod = new ImageRecord("127.0.0.1:5077/it/notes", List.of("1.0.0"), "sha256:" + "a".repeat(64),
        "sha256:" + "b".repeat(64), ref, "registry", null, List.of("linux/amd64")).withEnvironment("prod");
    assertThat(prod.write(project.resolve("target/devplugin/image.json"))).isTrue();
    // the caller passes no image: the record is prod's, the stack runs dev
    ComposeGenerator.Output out = generate(NOTES, null, "io.example.Main");
    assertThat(yaml(out, "docker-compose.yml").get("services").get("notes").has("build")).isTrue();
    assertThat(out.notes()).noneMatch(n -> n.contains("is absent"))
        .anyMatch(n -> n.contains("image.json holds the image devplugin:image built for the environment 'prod' ("
            + ref + "), not for 'dev'") && n.contains("the service is built from"));
  }

  @Test
  void envExampleListsEveryVariableTheFilesReferenceWithACommentAndNoSecretValue() {
    ComposeGenerator.Output out = generate(NOTES, null, "io.example.Main");
    Set<String> referenced = new LinkedHashSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)").matcher(String.join("\n",
        out.files().values()));
    while (m.find()) {
      referenced.add(m.group(1));
    }
    String example = out.files().get(".env.example");
    List<String> lines = example.lines().toList();
    Set<String> listed = new LinkedHashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.isEmpty() && !line.startsWith("#")) {
        String name = line.substring(0, line.indexOf('='));
        listed.add(name);
        assertThat(lines.get(i - 1)).as("comment above " + name).startsWith("# ").hasSizeGreaterThan(10);
      }
    }
    assertThat(listed).containsAll(referenced).contains("COMPOSE_PROJECT_NAME");
    assertThat(example).contains("\nDATABASE_PASSWORD=\n").contains("\nAPI_TOKEN=\n")
        .contains("\nCOMPOSE_PROJECT_NAME=notes\n").contains("\nPOSTGRES_DB=notes\n").contains("\nAPP_PORT=8080\n");
  }

  @Test
  void declaredVariablesCanBeReferencedAndStrayDollarsStayLiteral() {
    ComposeGenerator.Output out = generate("""
        <service><name>shop</name>
          <env><API_URL>${API_BASE}/v1</API_URL><PRICE>5$</PRICE><ESCAPED>a$$b</ESCAPED></env></service>
        <database><enabled>false</enabled></database>
        <compose><variables><variable><name>API_BASE</name><value>http://api.local</value>
          <description>Where the API lives.</description></variable></variables></compose>
        """, null, null);
    JsonNode env = yaml(out, "docker-compose.yml").get("services").get("shop").get("environment");
    assertThat(env.get("API_URL").asString()).isEqualTo("${API_BASE}/v1");
    assertThat(env.get("PRICE").asString()).isEqualTo("5$$");
    assertThat(env.get("ESCAPED").asString()).isEqualTo("a$$b");
    assertThat(out.files().get(".env.example")).contains("# Where the API lives.\nAPI_BASE=http://api.local\n");
    assertThat(yaml(out, "docker-compose.yml").get("services").propertyNames()).containsExactly("shop");
  }

  @Test
  void withoutToolsThereAreNoUisAndTheirPortsAreFree() {
    ComposeGenerator.Output out = generate("""
        <service><name>app</name><port>8081</port></service>
        <database><enabled>true</enabled></database><cache><enabled>true</enabled></cache>
        <compose><tools>false</tools></compose>""", null, null);
    assertThat(yaml(out, "docker-compose.yml").get("services").propertyNames()).containsExactly("app", "migrate",
        "postgres", "redis");
    assertThat(out.files().get(".env.example")).doesNotContain("UI_PORT");
  }

  @Test
  void sameInputSameBytes() {
    ComposeGenerator.Output a = generate(NOTES, null, "io.example.Main");
    ComposeGenerator.Output b = generate(NOTES, null, "io.example.Main");
    assertThat(a.files()).isEqualTo(b.files());
    assertThat(a.files().get("docker-compose.yml")).startsWith(ComposeGenerator.MARKER);
  }

  @Test
  void portsThatAYaml11ReaderCouldMisreadAreQuoted() {
    ComposeGenerator.Output out = generate("""
        <service><name>tiny</name><port>22</port>
          <ports><port><number>53</number><name>dns</name><protocol>UDP</protocol></port></ports></service>
        <database><enabled>false</enabled></database>
        <compose><appPort>22</appPort></compose>
        """, null, null);
    assertThat(out.files().get("docker-compose.yml")).contains("- \"${APP_PORT:-22}:22\"")
        .contains("- \"${APP_DNS_PORT:-53}:53/udp\"").contains("PORT: \"22\"");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // bad input

  @Test
  void aServiceNamedLikeAGeneratedServiceIsAClash() {
    assertThatThrownBy(() -> generate("""
        <service><name>redis</name></service><database><enabled>false</enabled></database>
        <cache><enabled>true</enabled></cache>""", null, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<service><name>")
        .hasMessageContaining("'redis' clashes with the compose service devplugin generates for Redis (<cache>)")
        .hasMessageContaining("Fix: rename the service, e.g. <service><name>redis-app</name></service>");
  }

  @Test
  void aVolumeNamedLikeTheDatabaseVolumeIsAClash() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name><volumes><volume><name>postgres-data</name><mountPath>/data</mountPath></volume>
        </volumes></service><database><enabled>true</enabled></database>""", null, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<service><volumes><volume><name>: the volume name 'postgres-data' clashes");
  }

  @Test
  void aHostPortUsedTwiceNamesBothElements() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name><port>15432</port></service><database><enabled>true</enabled></database>""",
        null, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<compose><postgresPort>: host port 15432 is used twice: by <service><port> and by"
            + " <compose><postgresPort>.")
        .hasMessageContaining("Fix: give one of them another port, e.g. <compose><postgresPort>25432</postgresPort>");
  }

  @Test
  void aPortClashInAnotherEnvironmentNamesThatEnvironment() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name></service><database><enabled>true</enabled></database>
        <environments><staging><compose><databaseUiPort>8080</databaseUiPort></compose></staging></environments>""",
        null, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<compose><databaseUiPort> (environment staging): host port 8080 is used twice");
  }

  @Test
  void anEnvironmentCannotAddOrDropServices() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name></service><database><enabled>true</enabled></database>
        <environments><prod><cache><enabled>true</enabled></cache><compose><tools>false</tools></compose></prod>
        </environments>""", null, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<environments><prod>: adds the compose service 'redis'")
        .hasMessageContaining("<environments><prod>: drops the compose service 'adminer'");
  }

  @Test
  void theDebugPortMayNotBeAPortOfTheService() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name><port>5005</port></service><database><enabled>false</enabled></database>
        <compose><appPort>9000</appPort></compose>""", null, "x.Main"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<compose><debugPort>: the debug port 5005 is also a port of the service");
  }

  @Test
  void aVariableReferencedButNotDeclaredNamesTheEnvEntry() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name><env><API_URL>${API_BASE}/v1</API_URL><OTHER>$HOME</OTHER></env></service>
        <database><enabled>false</enabled></database>""", null, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<service><env><API_URL>: references ${API_BASE}, which is not declared")
        .hasMessageContaining("<service><env><OTHER>: references ${HOME}, which is not declared")
        .hasMessageContaining("<compose><variables><variable><name>API_BASE</name>");
  }

  @Test
  void anImageOverrideThatIsNotAReferenceNamesTheElement() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name></service>
        <compose><postgresImage>Postgres:Latest</postgresImage><redisImage>redis::7</redisImage></compose>""",
        null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("<compose><postgresImage>")
        .hasMessageContaining("'Postgres:Latest' is not a valid image reference: repositories must be lower case.")
        .hasMessageContaining("<compose><redisImage>")
        .hasMessageContaining("'redis::7' is not a valid image reference");
  }

  @Test
  void aSecretLookingVariableWithAValueIsRefused() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name></service>
        <compose><variables><variable><name>DB_PASSWORD</name><value>hunter2</value></variable></variables></compose>
        """, null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("variable 'DB_PASSWORD' looks like a secret");
  }

  @Test
  void aVariableMayNotShadowAGeneratedOne() {
    assertThatThrownBy(() -> generate("""
        <service><name>app</name></service>
        <compose><variables><variable><name>POSTGRES_PORT</name><value>1</value></variable></variables></compose>
        """, null, null))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("the variable 'POSTGRES_PORT' clashes with a variable devplugin generates");
  }

  @Test
  void unitsConvertFromKubernetesQuantities() {
    assertThat(ComposeOverrides.cpus("500m")).isEqualTo("0.5");
    assertThat(ComposeOverrides.cpus("2")).isEqualTo("2");
    assertThat(ComposeOverrides.memory("512Mi")).isEqualTo("512m");
    assertThat(ComposeOverrides.memory("1Gi")).isEqualTo("1g");
    assertThat(ComposeOverrides.memory("500M")).isEqualTo("500000000b");
    assertThat(ComposeOverrides.memory("64Ki")).isEqualTo("64k");
  }

  @Test
  void postgresDataDirectoryFollowsTheImagesMajorVersion() {
    Map<String, EffectiveConfig> c15 = Fixture.load(project, "<compose><postgresImage>reg.local/pg:15</postgresImage>"
        + "</compose>");
    assertThat(ComposeServices.postgresDataPath(c15.get("dev").compose())).isEqualTo("/var/lib/postgresql/data");
    Map<String, EffectiveConfig> c18 = Fixture.load(project, "");
    assertThat(ComposeServices.postgresDataPath(c18.get("dev").compose())).isEqualTo("/var/lib/postgresql");
    Map<String, EffectiveConfig> set = Fixture.load(project, "<compose><postgresDataPath>/pg</postgresDataPath>"
        + "</compose>");
    assertThat(ComposeServices.postgresDataPath(set.get("dev").compose())).isEqualTo("/pg");
  }
}
