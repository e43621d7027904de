package io.github.devplugin.config;

import io.github.devplugin.core.Problem;
import static io.github.devplugin.config.ConfigFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void defaultsComeFromTheProjectAndAreTraced() {
    EffectiveConfig c = config().load(null);
    assertThat(c.environment()).isEqualTo("dev");
    assertThat(c.environments()).containsExactly("dev");
    assertThat(c.service().name()).isEqualTo("orders-service");
    assertThat(c.service().version()).isEqualTo("1.2.3");
    assertThat(c.service().port()).isEqualTo(8080);
    assertThat(c.service().resources().memoryLimit()).isEqualTo("512Mi");
    assertThat(c.image().target()).isEqualTo(ImageSettings.Target.TAR);
    assertThat(trace(c).get("service.port")).isEqualTo(new Section.Trace("service.port", "8080", "default",
        "<service><port>"));
  }

  @Test
  void anEnvironmentOverridesByKeyAndKeepsTheRest() {
    EffectiveConfig c = config()
        .section("service", s -> s.leaf("port", "8081").leaf("replicas", "1")
            .child("resources", r -> r.child("limits", l -> l.leaf("memory", "256Mi").leaf("cpu", "2"))))
        .environment("prod", e -> e.child("service", s -> s.leaf("replicas", "4")
            .child("resources", r -> r.child("limits", l -> l.leaf("memory", "1Gi")))))
        .load("prod");
    assertThat(c.service().replicas()).isEqualTo(4);
    assertThat(c.service().port()).isEqualTo(8081);
    assertThat(c.service().resources().memoryLimit()).isEqualTo("1Gi");
    assertThat(c.service().resources().cpuLimit()).isEqualTo("2");
    Section.Trace replicas = trace(c).get("service.replicas");
    assertThat(replicas.origin()).isEqualTo("environment prod");
    assertThat(replicas.location()).isEqualTo("<environments><prod><service><replicas>");
  }

  @Test
  void envVarsMergeByNameAndCanBeRemoved() {
    EffectiveConfig c = config()
        .section("service", s -> s.child("env", e -> e.leaf("LOG_LEVEL", "info").leaf("FEATURE", "on")
            .leaf("REGION", "eu")))
        .environment("prod", e -> e.child("service", s -> s.child("env", v -> v.leaf("LOG_LEVEL", "warn")
            .child(ConfigNode.of("FEATURE", null, List.of(), Map.of("remove", "true"),
                "<environments><prod><service><env><FEATURE>")))))
        .load("prod");
    assertThat(c.service().env()).containsExactly(Map.entry("LOG_LEVEL", "warn"), Map.entry("REGION", "eu"));
  }

  @Test
  void portsMergeByNumberNeverByAppending() {
    EffectiveConfig c = config()
        .section("service", s -> s.child("ports", p -> p
            .child("port", x -> x.leaf("number", "9090").leaf("name", "metrics"))
            .child("port", x -> x.leaf("number", "9091").leaf("name", "admin"))))
        .environment("staging", e -> e.child("service", s -> s.child("ports", p -> p
            .child("port", x -> x.leaf("number", "9090").leaf("name", "prom"))
            .child("port", x -> x.leaf("number", "5005").leaf("name", "debug")))))
        .load("staging");
    assertThat(c.service().ports()).containsExactly(
        new ServiceConfig.PortSpec(5005, "debug", "TCP"),
        new ServiceConfig.PortSpec(9090, "prom", "TCP"),
        new ServiceConfig.PortSpec(9091, "admin", "TCP"));
  }

  @Test
  void overridesBeatEveryEnvironment() {
    EffectiveConfig c = config()
        .section("image", i -> i.leaf("to", "registry.example.com/a:1"))
        .environment("prod", e -> e.child("image", i -> i.leaf("to", "registry.example.com/b:1")))
        .load("prod", new ConfigLoader.Override("image.to", "localhost:5000/c:2", "-Ddevplugin.image.to"),
            new ConfigLoader.Override("image.tags", "a, b", "-Ddevplugin.image.tags"));
    assertThat(c.image().to()).isEqualTo("localhost:5000/c:2");
    assertThat(c.image().tags()).containsExactly("a", "b");
    assertThat(trace(c).get("image.to").origin()).isEqualTo("-Ddevplugin.image.to");
  }

  @Test
  void prodHasStrictDefaults() {
    EffectiveConfig dev = config().environment("prod", e -> { }).load("dev");
    EffectiveConfig prod = config().environment("prod", e -> { }).load("prod");
    assertThat(dev.image().allowMutableTags()).isTrue();
    assertThat(prod.image().allowMutableTags()).isFalse();
    assertThat(dev.database().backup()).isFalse();
    assertThat(prod.database().backup()).isTrue();
  }

  @Test
  void anUnknownEnvironmentListsTheKnownOnes() {
    assertThatThrownBy(() -> config().environment("staging", e -> { }).environment("prod", e -> { }).load("qa"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("-Ddevplugin.env=qa: unknown environment 'qa'; the known environments are dev, prod,"
            + " staging.");
  }

  @Test
  void everyEnvironmentIsValidatedNotOnlyTheSelectedOne() {
    assertThatThrownBy(() -> config()
        .environment("prod", e -> e.child("service", s -> s.leaf("replicas", "three")))
        .load("dev"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("<environments><prod><service><replicas>: 'three' is not a whole number.");
  }

  @Test
  void problemsAreCollectedAndNameElementAndFix() {
    ConfigException e = catchConfig(config()
        .section("service", s -> s.leaf("port", "70000").leaf("replicas", "-2").leaf("healthpath", "/h")
            .child("resources", r -> r.child("limits", l -> l.leaf("memory", "512MB").leaf("cpu", "2 cores"))
                .child("requests", q -> q.leaf("memory", "128m")))));
    List<String> lines = e.problems().stream().map(Problem::toString).toList();
    assertThat(lines).contains(
        "<service><port>: '70000' is out of range. Fix: use a whole number from 1 to 65535.",
        "<service><replicas>: '-2' is out of range. Fix: use a whole number from 0 to 1000.",
        "<service><resources><limits><memory>: '512MB' is not a Kubernetes quantity. Fix: use a number with an"
            + " optional suffix, e.g. 256Mi, 1Gi or 512M.",
        "<service><resources><limits><cpu>: '2 cores' is not a Kubernetes quantity. Fix: use a number with an"
            + " optional suffix, e.g. 250m, 0.5 or 2.",
        "<service><resources><requests><memory>: '128m' means 128 thousandths of a byte (m is milli). Fix: write"
            + " 128Mi for mebibytes.");
    assertThat(lines).anyMatch(l -> l.startsWith("<service><healthpath>: is not a devplugin setting here. Did you"
        + " mean <healthPath>?"));
  }

  @Test
  void duplicatesAreErrors() {
    ConfigException e = catchConfig(config()
        .section("service", s -> s.child("ports", p -> p
            .child("port", x -> x.leaf("number", "9090").leaf("name", "metrics"))
            .child("port", x -> x.leaf("number", "9090").leaf("name", "other"))
            .child("port", x -> x.leaf("number", "9091").leaf("name", "metrics")))
            .child("volumes", v -> v
                .child("volume", x -> x.leaf("name", "data").leaf("mountPath", "/data"))
                .child("volume", x -> x.leaf("name", "data").leaf("mountPath", "/data2")))
            .leaf("port", "8080").leaf("port", "8081")));
    assertThat(e.getMessage())
        .contains("duplicate number '9090' in <service><ports>")
        .contains("port name 'metrics' is used twice (ports 9090 and 9091)")
        .contains("duplicate name 'data' in <service><volumes>")
        .contains("<service><port>: is given 2 times.");
  }

  @Test
  void requestAboveLimitIsAnError() {
    assertThatThrownBy(() -> config()
        .section("service", s -> s.child("resources", r -> r
            .child("requests", q -> q.leaf("cpu", "2"))
            .child("limits", l -> l.leaf("cpu", "500m"))))
        .load("dev"))
        .hasMessageContaining("cpu limit 500m is lower than the request 2.");
  }

  @Test
  void hpaBoundsReversedAndIngressWithoutHostAreErrors() {
    ConfigException e = catchConfig(config()
        .section("service", s -> s
            .child("autoscaling", a -> a.leaf("enabled", "true").leaf("minReplicas", "5").leaf("maxReplicas", "2"))
            .child("ingress", i -> i.leaf("enabled", "true"))));
    assertThat(e.getMessage())
        .contains("<service><autoscaling><maxReplicas>: maxReplicas 2 is lower than minReplicas 5.")
        .contains("<service><ingress><host>: an Ingress needs a host.");
  }

  @Test
  void secretsNeedExactlyOneSourceAndNeverAPlainValue() {
    ConfigException e = catchConfig(config()
        .section("secrets", s -> s
            .child("secret", x -> x.leaf("name", "DB_PASSWORD").leaf("value", "hunter2"))
            .child("secret", x -> x.leaf("name", "API_TOKEN"))
            .child("secret", x -> x.leaf("name", "OTHER").leaf("env", "A").leaf("file", "/b"))));
    assertThat(e.getMessage())
        .contains("<secrets><secret><value>: secret 'DB_PASSWORD' is declared with a plain value")
        .contains("secret 'API_TOKEN' must name exactly one source, not 0.")
        .contains("secret 'OTHER' must name exactly one source, not 2.")
        .doesNotContain("hunter2");
  }

  @Test
  void anOverlaySwitchesASecretsSourceInsteadOfAddingOne() {
    EffectiveConfig c = config()
        .section("secrets", s -> s.child("secret", x -> x.leaf("name", "DB_PASSWORD").leaf("env", "DEV_PW")))
        .environment("prod", e -> e.child("secrets", s -> s.child("secret", x -> x.leaf("name", "DB_PASSWORD")
            .leaf("server", "prod-db"))))
        .load("prod");
    assertThat(c.secrets()).containsExactly(
        new SecretSpec("DB_PASSWORD", SecretSpec.Source.SERVER, "prod-db", "password", "db-password", false));
  }

  @Test
  void plainSecretLookingVariablesAreRefused() {
    assertThatThrownBy(() -> config()
        .section("service", s -> s.child("env", e -> e.leaf("DB_PASSWORD", "hunter2"))).load("dev"))
        .hasMessageContaining("<service><env><DB_PASSWORD>: looks like a secret written in plain text in the POM.")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void removingSomethingThatIsNotInheritedIsAnError() {
    assertThatThrownBy(() -> config()
        .environment("prod", e -> e.child("service", s -> s.child("env", v -> v.child(
            ConfigNode.of("NOPE", null, List.of(), Map.of("remove", "true"),
                "<environments><prod><service><env><NOPE>")))))
        .load("prod"))
        .hasMessageContaining("<environments><prod><service><env><NOPE>: removes 'NOPE', but no lower layer sets it.");
  }

  @Test
  void inlineSecretsAreRefusedInProd() {
    assertThatThrownBy(() -> config()
        .environment("prod", e -> e.child("kubernetes", k -> k.leaf("inlineSecrets", "true")))
        .load("dev"))
        .hasMessageContaining("<environments><prod><kubernetes><inlineSecrets>: the prod environment may not write"
            + " Secret values into manifests.");
  }

  @Test
  void badNamesAreReportedWithASuggestion() {
    ConfigException e = catchConfig(config()
        .section("service", s -> s.leaf("name", "Orders_Service"))
        .environment("Prod", x -> { }));
    assertThat(e.getMessage())
        .contains("'Orders_Service' is not a valid service name")
        .contains("<service><name>orders-service</name>")
        .contains("<environments><Prod>: 'Prod' is not a valid environment name.");
  }

  @Test
  void jdbcUrlWithAPasswordIsRefused() {
    assertThatThrownBy(() -> config()
        .section("database", d -> d.leaf("url", "jdbc:postgresql://db/x?user=a&password=secret")).load("dev"))
        .hasMessageContaining("the JDBC URL contains a password in plain text")
        .hasMessageNotContaining("password=secret");
  }

  private static ConfigException catchConfig(ConfigFixtures f) {
    try {
      f.load("dev");
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }

  private static Map<String, Section.Trace> trace(EffectiveConfig c) {
    return c.trace().stream().collect(Collectors.toMap(Section.Trace::path, t -> t));
  }
}
