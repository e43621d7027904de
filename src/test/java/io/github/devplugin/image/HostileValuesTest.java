package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.devplugin.compose.ComposeGenerator;
import io.github.devplugin.config.ConfigException;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Masker;
import io.github.devplugin.k8s.ImageChoice;
import io.github.devplugin.k8s.ManifestGenerator;
import io.github.devplugin.testing.RecordingLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One escaping rule ({@link io.github.devplugin.framework.EnvValues}) for every output: the same hostile values of
 * {@code <service><env>} through the image (jib's container configuration, read back from the image tar), the
 * Dockerfile (built by {@code podman build}, its image's configuration inspected), compose (interpolated by
 * Debian's {@code docker-compose} 1.29, {@code config}) and Kubernetes (the ConfigMap the container reads through
 * {@code envFrom}, and the container's {@code env[].value} with its {@code $$} escaping, which the kubelet expands).
 * Each consumer must give the service the same string.
 */
class HostileValuesTest {
  @TempDir
  Path dir;

  /** A secret's value, given to compose through its environment as {@code .env} would. */
  private static final String SECRET = "k3y";

  /** Name, as written in the POM, as the service must see it. */
  private record Hostile(String name, String configured, String expected) {}

  private static final List<Hostile> VALUES = List.of(
      new Hostile("QUOTES", "say \"hi\" and 'bye'", "say \"hi\" and 'bye'"),
      new Hostile("BACKSLASHES", "C:\\new\\dir \\\\share\\ x\\", "C:\\new\\dir \\\\share\\ x\\"),
      new Hostile("DOLLARS", "5$ or $ 6 and $1", "5$ or $ 6 and $1"),
      new Hostile("ESCAPED", "a$$b $$HOME $${PORT} $$$$", "a$b $HOME ${PORT} $$"),
      new Hostile("EMPTY_BRACES", "x${}y", "x${}y"),
      new Hostile("REFERENCE", "port=${PORT}, $PORT! ${PORT:-1}", "port=8080, 8080! 8080"),
      new Hostile("KUBE_SYNTAX", "$(HOME) and $$(HOME)", "$(HOME) and $(HOME)"),
      new Hostile("UNICODE", "Grüße 日本語 🚀🎉 שלום עולם مرحبا \u202Ertl\u202C é",
          "Grüße 日本語 🚀🎉 שלום עולם مرحبا \u202Ertl\u202C é"),
      new Hostile("TABS", "a\tb\t\tc", "a\tb\t\tc"),
      new Hostile("SPACES", "a  b   c", "a  b   c"),
      new Hostile("HASH", "#not-a-comment # x", "#not-a-comment # x"),
      new Hostile("EQUALS", "k=v==w=", "k=v==w="),
      new Hostile("ALL", "\"'\\$$${}${PORT}$(X)🚀\t#=", "\"'\\$${}8080$(X)🚀\t#="),
      // refers to a secret: only a deployment gives it (compose from .env, Kubernetes as $(API_KEY))
      new Hostile("CALLBACK_NOTE", "Bearer ${API_KEY} $(HOME) $$ 5$ \"q\"", "Bearer " + SECRET + " $(HOME) $ 5$ \"q\""));

  private static String xml(String from) {
    StringBuilder env = new StringBuilder();
    for (Hostile h : VALUES) {
      env.append('<').append(h.name()).append('>')
          .append(h.configured().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
          .append("</").append(h.name()).append('>');
    }
    return "<configuration><service><name>demo</name><mainClass>demo.App</mainClass><env>" + env + "</env></service>"
        + "<database><enabled>false</enabled></database>"
        + "<secrets><secret><name>API_KEY</name><env>DEVPLUGIN_TEST_UNSET_API_KEY</env><optional>true</optional>"
        + "</secret></secrets>"
        + "<image><from>" + from + "</from><target>tar</target></image></configuration>";
  }

  /** What the service must see: every value but the one only a deployment gives. */
  private static Map<String, String> expected(boolean withSecret) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Hostile h : VALUES) {
      if (withSecret || !h.name().equals("CALLBACK_NOTE")) {
        out.put(h.name(), h.expected());
      }
    }
    return out;
  }

  private EffectiveConfig config() throws IOException {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    return TestProjects.config(TestProjects.info(dir, "1.0.0"),
        xml(TestProjects.env("DEVPLUGIN_TEST_BASE_IMAGE")), "dev");
  }

  @Test
  void theSameHostileValuesReachTheServiceUnchangedThroughEveryOutput() throws Exception {
    EffectiveConfig c = config();
    Map<String, String> image = jibImage(c);
    Map<String, String> dockerfile = dockerfileImage(c);
    Map<String, String> compose = compose(c);
    Map<String, String> kubernetes = kubernetes(c);

    assertThat(image).containsAllEntriesOf(expected(false)).doesNotContainKey("CALLBACK_NOTE");
    assertThat(dockerfile).containsAllEntriesOf(expected(false)).doesNotContainKey("CALLBACK_NOTE");
    assertThat(compose).containsAllEntriesOf(expected(true));
    assertThat(kubernetes).containsAllEntriesOf(expected(false)).doesNotContainKey("CALLBACK_NOTE");
    // no output carries an unexpanded reference by accident: ${PORT} became 8080 everywhere
    for (Map<String, String> seen : List.of(image, dockerfile, compose, kubernetes)) {
      assertThat(seen.get("REFERENCE")).isEqualTo("port=8080, 8080! 8080");
    }
  }

  /** jib's image configuration, read back from the image tar. */
  private Map<String, String> jibImage(EffectiveConfig c) throws IOException {
    RecordingLog log = new RecordingLog();
    ImageRecord r = ImageGoal.run(c, TestProjects.inputs(dir), new Secrets(List.of(), id -> Optional.empty(),
        k -> null, new Masker()), log, dir.resolve("jib-cache"), Map.of(), true);
    assertThat(log.text()).contains("Left out of the image's environment").contains("CALLBACK_NOTE (refers to API_KEY)");
    Map<String, byte[]> tar = TarEntries.read(Path.of(r.tarFile()));
    JsonNode manifest = Json.read(new String(tar.get("manifest.json"), StandardCharsets.UTF_8)).get(0);
    JsonNode config = Json.read(new String(tar.get(manifest.get("Config").asString()), StandardCharsets.UTF_8));
    List<String> env = new ArrayList<>();
    config.get("config").get("Env").forEach(e -> env.add(e.asString()));
    return byName(env);
  }

  /** The generated Dockerfile's dev target built by podman; the environment of the image it built. */
  private Map<String, String> dockerfileImage(EffectiveConfig c) throws Exception {
    Path dockerfile = DockerfileGoal.run(c, Map.of("dev", c), TestProjects.inputs(dir), new RecordingLog());
    String tag = "localhost/devplugin-test/hostile-values:" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    run(List.of("podman", "build", "--tls-verify=false", "-q", "--target", "dev", "-t", tag, "-f",
        dockerfile.toString(), dockerfile.getParent().toString()), Map.of());
    try {
      String json = run(List.of("podman", "image", "inspect", "--format", "{{json .Config.Env}}", tag), Map.of());
      List<String> env = new ArrayList<>();
      Json.read(json).forEach(e -> env.add(e.asString()));
      return byName(env);
    } finally {
      run(List.of("podman", "rmi", "-f", tag), Map.of());
    }
  }

  /**
   * The app service's environment as docker-compose computes it. {@code config} prints the interpolated model as a
   * compose file again, so every literal {@code $} of its output is written {@code $$} (Compose's own escape).
   */
  private Map<String, String> compose(EffectiveConfig c) throws Exception {
    Path out = Files.createDirectories(dir.resolve("target/devplugin/compose"));
    ComposeGenerator.Output generated = ComposeGenerator.generate(new ComposeGenerator.Input(c, List.of(), null,
        null, out));
    Files.writeString(out.resolve(ComposeGenerator.COMPOSE_FILE), generated.files().get(ComposeGenerator.COMPOSE_FILE));
    Files.createDirectories(dir.resolve("target/devplugin/docker"));
    String printed = run(List.of("docker-compose", "--project-directory", out.toString(), "-f",
        out.resolve(ComposeGenerator.COMPOSE_FILE).toString(), "config"), Map.of("API_KEY", SECRET));
    JsonNode env = new YAMLMapper().readTree(printed).get("services").get("demo").get("environment");
    Map<String, String> seen = new LinkedHashMap<>();
    for (String name : env.propertyNames()) {
      String shown = env.get(name).asString();
      assertThat(shown.replace("$$", "")).as("compose prints every $ of %s as $$", name).doesNotContain("$");
      seen.put(name, shown.replace("$$", "$"));
    }
    return seen;
  }

  /**
   * The ConfigMap the container reads through {@code envFrom} (no expansion there), and the container's own
   * {@code env}: the value that refers to the secret is a {@code $(API_KEY)} expansion with every literal {@code $}
   * doubled, which the kubelet reads back as one.
   */
  private Map<String, String> kubernetes(EffectiveConfig c) {
    ManifestGenerator g = new ManifestGenerator(c, new ImageChoice("demo:1", "test"));
    List<HasMetadata> objects = g.generate();
    assertThat(g.problems()).isEmpty();
    ConfigMap cm = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).findFirst()
        .orElseThrow();
    Deployment d = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
        .orElseThrow();
    List<EnvVar> env = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env).extracting(EnvVar::getName).containsExactly("API_KEY", "CALLBACK_NOTE");
    assertThat(env.get(1).getValue()).isEqualTo("Bearer $(API_KEY) $$(HOME) $$ 5$$ \"q\"");
    assertThat(cm.getData()).doesNotContainKey("CALLBACK_NOTE");
    return cm.getData();
  }

  @Test
  void aNewlineOrAnotherControlCharacterIsRefusedWhenTheConfigurationIsLoadedNamingTheElement() {
    assertThatThrownBy(() -> TestProjects.config(TestProjects.info(dir, "1.0.0"),
        "<service><name>demo</name><env><GREETING>hello&#10;world</GREETING><OK>a&#9;b</OK></env></service>"
            + "<database><enabled>false</enabled></database><image><labels><note>a&#10;b</note></labels></image>"
            + "<compose><variables><variable><name>API_BASE</name><value>x&#10;y</value></variable></variables>"
            + "</compose><environments><prod><service><env><WINDOWS>li&#13;ne</WINDOWS></env></service></prod></environments>",
        "prod"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("<service><env><GREETING>").hasMessageContaining("a line feed (U+000A)")
        .hasMessageContaining("<environments><prod><service><env><WINDOWS>")
        .hasMessageContaining("a carriage return (U+000D)")
        .hasMessageContaining("<image><labels><note>: holds a line feed (U+000A)")
        .hasMessageContaining("variable 'API_BASE' holds a line feed (U+000A)")
        .hasMessageContaining("$$ is a dollar sign, ${NAME} a reference")
        .hasMessageContaining("write the value on one line (tab is allowed)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("<OK>"));
  }

  private static Map<String, String> byName(List<String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String e : env) {
      int eq = e.indexOf('=');
      out.put(e.substring(0, eq), e.substring(eq + 1));
    }
    return out;
  }

  private String run(List<String> command, Map<String, String> environment) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(environment);
    Path output = Files.createTempFile(dir, "out", ".txt");
    Path errors = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, Files.readString(errors)).isZero();
    return Files.readString(output, StandardCharsets.UTF_8);
  }
}
