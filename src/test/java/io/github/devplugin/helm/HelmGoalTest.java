package io.github.devplugin.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.Configuration;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.k8s.Fixtures;
import io.github.devplugin.k8s.K8sGoal;
import io.github.devplugin.k8s.KustomizeRenderTest;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart of the example service with the real Helm (helm-java's native library, loaded in this JVM): lint clean,
 * the packaged chart renders for every environment exactly what {@code kubectl kustomize} renders of the k8s goal's
 * directory, reproducible, up to date on a second run, and values of the wrong type fail naming the key.
 */
class HelmGoalTest {
  private static final List<String> ENVS = List.of("dev", "staging", "prod");
  @TempDir Path dir;

  private Configuration configuration() {
    Fixtures.project(dir);
    Map<String, EffectiveConfig> all = new LinkedHashMap<>();
    for (String env : ENVS) {
      all.put(env, Fixtures.notes(dir, env));
    }
    return new Configuration(all, "dev");
  }

  @Test
  void nativeHelmLoadsAndLintsAChart() throws Exception {
    Path chart = dir.resolve("c");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("values.yaml"), "count: 1\n");
    Files.writeString(chart.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  n: {{ .Values.count | quote }}\n");
    HelmRunner.Lint lint = HelmRunner.lint(chart);
    assertThat(lint.failed()).as(lint.messages().toString()).isFalse();
    assertThat(HelmRunner.template(chart, "c", null)).contains("n: \"1\"");
  }

  @Test
  void everyEnvironmentRendersWhatKustomizeRenders() throws Exception {
    Configuration all = configuration();
    RecordingLog log = new RecordingLog();
    HelmGoal.Result r = HelmGoal.run(all, List.of(), log);

    assertThat(r.upToDate()).isFalse();
    assertThat(r.chartVersion()).isEqualTo("1.0.0");
    Path chart = r.chartDirectory();
    assertThat(chart).isEqualTo(dir.resolve("target/devplugin/helm/notes"));
    assertThat(Files.readString(chart.resolve("Chart.yaml"))).contains("name: notes\n").contains("version: 1.0.0\n")
        .contains("appVersion: 1.0.0\n");
    assertThat(r.archive()).isRegularFile().hasFileName("notes-1.0.0.tgz");
    assertThat(Files.readString(chart.resolve("values-staging.yaml"))).contains("replicas: 2");
    assertThat(Files.readString(chart.resolve("values-prod.yaml"))).as("the HPA scales prod").contains("replicas: null");
    assertThat(Files.readString(chart.resolve("values.yaml"))).contains("replicas: 1");
    assertThat(chart.resolve("templates/horizontalpodautoscaler.yaml")).content()
        .startsWith("{{- if .Values.horizontalPodAutoscaler.enabled }}");
    assertThat(log.text()).contains("helm lint --strict clean").contains("dev, prod, staging");
    assertThat(log.lines).as("the manifests' findings stay warnings when helm runs without k8s")
        .anyMatch(l -> l.startsWith("WARN Image notes:1.0.0 (from <service><name>:<service><version>") && l.contains("is not pinned by digest"));

    // independently of the goal's own check: the .tgz against the real kubectl kustomize of devplugin:k8s's output
    for (String env : ENVS) {
      K8sGoal.Result k = K8sGoal.run(all.get(env), dir.resolve("target/devplugin/k8s"), new RecordingLog());
      String kustomized = KustomizeRenderTest.render(k.directory());
      String rendered = HelmRunner.template(r.archive(), "notes", chart.resolve("values-" + env + ".yaml"));
      assertThat(ChartParity.compare(kustomized, rendered, env)).as(env).isEmpty();
      assertThat(rendered).contains(ChartBuilder.CHART_LABEL + ": \"notes-1.0.0\"").contains("secretKeyRef")
          .doesNotContain("kind: Secret\n");
      assertThat(ChartParity.byIdentity(rendered)).hasSameSizeAs(k.objects());
    }
    // a different environment's values render a different set of objects: the comparison can fail
    String prodWithDevValues = HelmRunner.template(r.archive(), "notes", chart.resolve("values-dev.yaml"));
    String prodManifests = Files.readString(dir.resolve("target/devplugin/k8s/prod/manifests.yaml"));
    assertThat(ChartParity.compare(prodManifests, prodWithDevValues, "dev values")).isNotEmpty();

    byte[] tgz = Files.readAllBytes(r.archive());
    String values = Files.readString(chart.resolve("values.yaml"));
    HelmGoal.Result again = HelmGoal.run(all, List.of(), log);
    assertThat(again.upToDate()).isTrue();
    Files.delete(dir.resolve("target/devplugin/stamps/helm.fingerprint"));
    Files.delete(r.archive());
    HelmGoal.Result rebuilt = HelmGoal.run(all, List.of(), new RecordingLog());
    assertThat(rebuilt.upToDate()).isFalse();
    assertThat(Files.readAllBytes(r.archive())).as("the .tgz is reproducible").isEqualTo(tgz);
    assertThat(Files.readString(chart.resolve("values.yaml"))).isEqualTo(values);

    Files.writeString(dir.resolve("values-broken.yaml"), "deployment:\n  replicas: three\ncommon:\n  nmespace: x\n");
    assertThatThrownBy(() -> HelmGoal.run(all, List.of(Path.of("values-broken.yaml")), new RecordingLog()))
        .isInstanceOf(ProblemsException.class)
        .hasMessageContaining("values-broken.yaml: values key deployment.replicas: got string, want integer")
        .hasMessageContaining("give deployment.replicas a value of type integer (it sets spec.replicas of"
            + " Deployment notes (absent in some environments)), as values.yaml does")
        .hasMessageContaining("values key common: additional properties 'nmespace' not allowed")
        .hasMessageContaining("the keys under common are");
    assertThatThrownBy(() -> HelmGoal.run(all, List.of(Path.of("missing.yaml")), new RecordingLog()))
        .isInstanceOf(ProblemsException.class)
        .hasMessageContaining("devplugin.helm.valuesFiles (<valuesFiles>): the values file missing.yaml does not"
            + " exist");
  }

  @Test
  void chartVersionIsTheProjectVersionAsSemVer() {
    assertThat(HelmGoal.chartVersion("1.2.3")).isEqualTo("1.2.3");
    assertThat(HelmGoal.chartVersion("1.0-SNAPSHOT")).isEqualTo("1.0.0-SNAPSHOT");
    assertThat(HelmGoal.chartVersion("2")).isEqualTo("2.0.0");
    assertThat(HelmGoal.chartVersion("1.2.3.Final")).isEqualTo("1.2.3-Final");
    assertThatThrownBy(() -> HelmGoal.chartVersion("latest")).isInstanceOf(ProblemsException.class)
        .hasMessageContaining("<project><version>: 'latest' cannot be a Helm chart version")
        .hasMessageContaining("give the project a version such as 1.2.3");
  }

  @Test
  void parityNamesTheFieldThatDiffersAndAllowsOnlyTheChartLabel() {
    String k8s = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: n\n  labels:\n    x: y\n"
        + "spec:\n  ports:\n  - port: 80\n";
    String helm = "---\n# Source: c/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n"
        + "  namespace: n\n  labels:\n    x: y\n    helm.sh/chart: c-1.0.0\nspec:\n  ports:\n  - port: 80\n";
    assertThat(ChartParity.compare(k8s, helm, "t")).isEmpty();
    assertThat(ChartParity.compare(k8s, helm.replace("port: 80", "port: 81"), "t")).singleElement()
        .hasToString("v1 Service n/a: t renders it differently from devplugin:k8s at spec.ports[0].port (expected 80,"
            + " rendered 81). Fix: " + ChartParity.compare(k8s, helm.replace("port: 80", "port: 81"), "t").get(0)
            .fix());
    assertThat(ChartParity.compare(k8s, helm.replace("helm.sh/chart", "other/label"), "t")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("metadata.labels.other/label"));
    assertThat(ChartParity.compare(k8s + "---\n" + k8s.replace("name: a", "name: b"), helm, "t")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("does not render this object"));
  }
}
