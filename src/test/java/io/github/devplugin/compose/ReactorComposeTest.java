package io.github.devplugin.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReactorComposeTest {
  @TempDir
  Path root;

  final RecordingLog log = new RecordingLog();

  /** A service module as the reactor's modules are configured: the shared database and Redis named alike. */
  static String module(String name, String database) {
    return """
        <service><name>%s</name><port>8080</port></service>
        <database><enabled>true</enabled><name>%s</name><user>shop</user></database>
        <cache><enabled>true</enabled></cache>
        <environments><prod><compose><restart>always</restart></compose></prod></environments>
        """.formatted(name, database);
  }

  /** The fragment the module's own compose goal records, built without an image (from its Dockerfile). */
  ReactorCompose.Fragment fragment(String module, String xml) {
    Path basedir = root.resolve(module);
    Map<String, EffectiveConfig> configs = Fixture.load(basedir, xml);
    Path out = basedir.resolve("target/devplugin/compose");
    ComposeGenerator.Output output = ComposeGenerator.generate(Fixture.input(configs, out, null, "x.Main"));
    Path file = ReactorCompose.fragmentFile(basedir.resolve("target/devplugin"));
    ReactorCompose.writeFragment(file, configs.get("dev").service().name(), out, output);
    return ReactorCompose.readFragment(module, file).orElseThrow();
  }

  ReactorCompose.Input input(ReactorCompose.Fragment... modules) {
    return new ReactorCompose.Input("shop", "1.0", List.of(modules), root.resolve("target/devplugin/compose"));
  }

  @Test
  void oneStackOfEveryServiceWithSharedDatabaseAndCacheAndNoPortClash() throws Exception {
    ReactorCompose.Input in = input(fragment("svc-a", module("svc-a", "shop")),
        fragment("svc-b", module("svc-b", "shop")));
    ComposeGoal.Result result = ReactorCompose.run(in, stamp(), log);

    assertThat(result.written()).containsExactly("docker-compose.yml", "docker-compose.override.yml",
        "docker-compose.prod.yml", ".env.example");
    Path dir = result.directory();
    Map<String, Object> compose = ComposeYaml.readMap(Files.readString(dir.resolve("docker-compose.yml")));
    Map<String, Object> services = ComposeFragments.cast(compose.get("services"));
    assertThat(services.keySet()).containsExactly("svc-a", "svc-a-migrate", "svc-b", "svc-b-migrate", "postgres",
        "redis", "adminer", "redis-ui");
    // 8081 is the database UI's (shared), so svc-b's 8080 moves up to the next free port
    Map<String, Object> b = ComposeFragments.cast(services.get("svc-b"));
    assertThat(b.get("ports")).isEqualTo(List.of("${SVC_B_APP_PORT:-8082}:8080"));
    assertThat(ComposeFragments.<Object>cast(b.get("depends_on"))).containsOnlyKeys("postgres", "svc-b-migrate",
        "redis");
    assertThat(ComposeFragments.<Object>cast(services.get("svc-a")).get("ports"))
        .isEqualTo(List.of("${SVC_A_APP_PORT:-8080}:8080"));
    // each module's own build context, relative to the merged files
    assertThat(ComposeFragments.<Object>cast(b.get("build")).get("context"))
        .isEqualTo("../../../svc-b/target/devplugin/docker");

    String override = Files.readString(dir.resolve("docker-compose.override.yml"));
    assertThat(override).contains("${SVC_A_DEBUG_PORT:-5005}:5005").contains("${SVC_B_DEBUG_PORT:-5006}:5005")
        .contains("../../../svc-b/target/classes:/app/classes:ro");
    String prod = Files.readString(dir.resolve("docker-compose.prod.yml"));
    assertThat(ComposeFragments.<Object>cast(ComposeYaml.readMap(prod).get("services")))
        .containsKeys("svc-a", "svc-b", "postgres", "redis");
    String env = Files.readString(dir.resolve(".env.example"));
    assertThat(env).contains("COMPOSE_PROJECT_NAME=shop\n").contains("SVC_A_APP_PORT=8080\n")
        .contains("SVC_B_APP_PORT=8082\n").contains("# svc-b: Host port of the service's HTTP port.")
        .doesNotContain("\nAPP_PORT=");
    assertThat(log.lines).anyMatch(l -> l.startsWith("WARN Host port 8080 of svc-b (SVC_B_APP_PORT) is taken"));

    // same fragments: nothing to do; then byte-identical output from a fresh merge
    assertThat(ReactorCompose.run(in, stamp(), log).upToDate()).isTrue();
    assertThat(ReactorCompose.merge(in).files()).isEqualTo(ReactorCompose.merge(input(
        fragment("svc-a", module("svc-a", "shop")), fragment("svc-b", module("svc-b", "shop")))).files());
  }

  @Test
  void modulesThatDefineTheSharedDatabaseDifferentlyFailNamingTheElements() {
    ReactorCompose.Input in = input(fragment("svc-a", module("svc-a", "orders")),
        fragment("svc-b", module("svc-b", "billing")));
    assertThatThrownBy(() -> ReactorCompose.run(in, stamp(), log)).isInstanceOf(ProblemsException.class)
        .hasMessageContaining("the compose service 'postgres' of svc-b (docker-compose.yml): is defined"
            + " differently in svc-a")
        .hasMessageContaining("the same <database><name> and <user>")
        .hasMessageContaining("the compose variable POSTGRES_DB of svc-b: defaults to 'billing' there but to"
            + " 'orders' in svc-a");
    assertThat(root.resolve("target/devplugin/compose")).doesNotExist();
  }

  @Test
  void twoModulesOfOneServiceNameFail() {
    ReactorCompose.Input in = input(fragment("svc-a", module("shop-api", "shop")),
        fragment("svc-b", module("shop-api", "shop")));
    assertThatThrownBy(() -> ReactorCompose.merge(in)).isInstanceOf(ProblemsException.class)
        .hasMessageContaining("<service><name> of svc-b: the compose service 'shop-api' clashes with the service of"
            + " the same name of svc-a")
        .hasMessageContaining("Fix: give one of them another <service><name>.");
  }

  @Test
  void referencesAreRenamedWithTheirMergedPortsAndLiteralDollarsLeftAlone() {
    assertThat(ReactorCompose.references("127.0.0.1:${DEBUG_PORT:-5005}:5005 $${APP_PORT} ${POSTGRES_DB:-x}",
        Map.of("DEBUG_PORT", "SVC_DEBUG_PORT", "APP_PORT", "SVC_APP_PORT"), Map.of("SVC_DEBUG_PORT", 5007)))
        .isEqualTo("127.0.0.1:${SVC_DEBUG_PORT:-5007}:5005 $${APP_PORT} ${POSTGRES_DB:-x}");
    assertThat(ReactorCompose.prefix("9-lives.api")).isEqualTo("S9_LIVES_API");
    assertThat(ReactorCompose.perService("APP_GRPC_PORT")).isTrue();
    assertThat(ReactorCompose.perService("POSTGRES_PORT")).isFalse();
  }

  @Test
  void aFragmentRoundTripsAndAMissingOneIsEmpty() {
    ReactorCompose.Fragment f = fragment("svc-a", module("svc-a", "shop"));
    assertThat(f.service()).isEqualTo("svc-a");
    assertThat(f.files()).containsKey("docker-compose.yml");
    assertThat(f.variables()).extracting(Variables.Var::name).contains("APP_PORT", "DATABASE_PASSWORD");
    assertThat(ReactorCompose.readFragment("x", root.resolve("none.json"))).isEmpty();
  }

  @Test
  void aBrokenFragmentFailsNamingTheModuleAndTheFix() throws Exception {
    Path file = root.resolve("svc-a/target/devplugin/reactor/compose.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"service\": \"svc-a\"}");
    assertThatThrownBy(() -> ReactorCompose.readFragment("svc-a", file))
        .isInstanceOf(io.github.devplugin.core.EnvironmentError.class)
        .hasMessageContaining(file + ", which the module svc-a recorded for the multi-module build")
        .hasMessageContaining("Fix: rebuild that module (mvn package), or delete the file.");
    io.github.devplugin.core.ModuleRecord.delete(file);
    assertThat(file).doesNotExist();
  }

  UpToDate stamp() {
    return UpToDate.forGoal(root.resolve("target/devplugin"), "compose", "reactor");
  }
}
