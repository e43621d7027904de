package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReactorKustomizationTest {
  @TempDir Path root;

  final RecordingLog log = new RecordingLog();

  /** A plain service module without database; {@code namespace}: its namespace, or null for its own default. */
  static String module(String name, String namespace) {
    return "<service><name>" + name + "</name></service><database><enabled>false</enabled></database>"
        + (namespace == null ? "" : "<kubernetes><namespace>" + namespace + "</namespace></kubernetes>");
  }

  /** What the module's own k8s goal writes and records. */
  ReactorKustomization.Fragment fragment(String module, String xml) {
    Path basedir = root.resolve(module);
    K8sGoal.Result result = K8sGoal.run(TestConfig.load(basedir, "dev", xml), basedir.resolve("target/devplugin/k8s"),
        log);
    Path file = ReactorKustomization.fragmentFile(basedir.resolve("target/devplugin"), "dev");
    ReactorKustomization.writeFragment(file, result.objects().stream().filter(o -> o.getKind().equals("Service"))
        .findFirst().orElseThrow().getMetadata().getName(), result);
    return ReactorKustomization.readFragment(module, file).orElseThrow();
  }

  ReactorKustomization.Input input(ReactorKustomization.Fragment... modules) {
    return new ReactorKustomization.Input(root, "dev", List.of(modules), root.resolve("target/devplugin/k8s"));
  }

  UpToDate stamp() {
    return UpToDate.forGoal(root.resolve("target/devplugin"), "k8s", "reactor-dev");
  }

  @Test
  void oneKustomizationOverEveryServiceThatKubectlRenders() throws Exception {
    ReactorKustomization.Input in = input(fragment("svc-a", module("svc-a", null)),
        fragment("svc-b", module("svc-b", null)));
    Path dir = ReactorKustomization.run(in, stamp(), log);

    assertThat(dir).isEqualTo(root.resolve("target/devplugin/k8s/dev"));
    String kustomization = Files.readString(dir.resolve("kustomization.yaml"));
    assertThat(kustomization).contains("- namespace-svc-a-dev.yaml\n- namespace-svc-b-dev.yaml\n- svc-a/").contains("- svc-a/deployment-svc-a.yaml")
        .contains("- svc-b/service-svc-b.yaml").contains("kubectl apply -k target/devplugin/k8s/dev");
    String rendered = KustomizeRenderTest.render(dir);
    assertThat(rendered).contains("kind: Deployment\nmetadata:\n").contains("name: svc-a\n")
        .contains("name: svc-b\n");
    assertThat(rendered.split("\nkind: Deployment\n", -1)).hasSize(3);
    assertThat(Files.readString(dir.resolve("manifests.yaml")).split("\n---\n", -1))
        .hasSize(kustomization.split("\n- ", -1).length - 1);

    assertThat(ReactorKustomization.run(in, stamp(), log)).isEqualTo(dir);
    assertThat(log.lines).anyMatch(l -> l.contains("kustomization of the services svc-a, svc-b is up to date"));
  }

  @Test
  void aSharedNamespaceIsWrittenOnceWithTheLabelsBothServicesGiveIt() throws Exception {
    ReactorKustomization.Input in = input(fragment("svc-a", module("svc-a", "shop")),
        fragment("svc-b", module("svc-b", "shop")));
    Path dir = ReactorKustomization.run(in, stamp(), log);
    String namespace = Files.readString(dir.resolve("namespace-shop.yaml"));
    assertThat(namespace).contains("app.kubernetes.io/managed-by: devplugin")
        .contains("pod-security.kubernetes.io/enforce: restricted").doesNotContain("app.kubernetes.io/instance")
        .doesNotContain("app.kubernetes.io/name");
    assertThat(dir.resolve("svc-a/namespace-shop.yaml")).doesNotExist();
    assertThat(KustomizeRenderTest.render(dir).split("\nkind: Namespace\n", -1)).hasSize(2);

    // svc-b moved to a namespace of its own: its files follow, the shared one's leftovers are removed
    Path again = ReactorKustomization.run(input(fragment("svc-a", module("svc-a", "shop"))), stamp(), log);
    assertThat(again.resolve("svc-b")).doesNotExist();
    assertThat(Files.readString(again.resolve("namespace-shop.yaml"))).contains("app.kubernetes.io/instance");
  }

  @Test
  void twoModulesOfOneServiceNameFailAndWriteNothing() {
    ReactorKustomization.Input in = input(fragment("svc-a", module("shop-api", "shop")),
        fragment("svc-b", module("shop-api", "shop")));
    assertThatThrownBy(() -> ReactorKustomization.run(in, stamp(), log)).isInstanceOf(ProblemsException.class)
        .hasMessageContaining("<service><name> of svc-b: the service name 'shop-api' is another module's too")
        .hasMessageContaining("Nothing was written.");
    assertThat(root.resolve("target/devplugin/k8s")).doesNotExist();
  }
}
