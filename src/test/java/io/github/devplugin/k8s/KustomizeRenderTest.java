package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.testing.RecordingLog;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output directory must render with the real {@code kubectl kustomize} (offline): the kustomization lists
 * every file, every file is a valid Kubernetes object for kustomize, and the rendered stream has every object.
 */
public class KustomizeRenderTest {
  @TempDir Path dir;

  static String kubectl() {
    for (String p : List.of("/usr/bin/kubectl", "/usr/local/bin/kubectl")) {
      if (new File(p).canExecute()) {
        return p;
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        if (new File(d, "kubectl").canExecute()) {
          return new File(d, "kubectl").getPath();
        }
      }
    }
    return fail("kubectl is missing: this test renders the generated directories with `kubectl kustomize`."
        + " Install it (scripts/test-env.sh up installs it) and run the tests again.");
  }

  public static String render(Path directory) throws Exception {
    Process p = new ProcessBuilder(kubectl(), "kustomize", directory.toString()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("kubectl kustomize " + directory + ":\n" + text).isZero();
    return text;
  }

  @Test
  void everyEnvironmentRendersWithKubectlKustomize() throws Exception {
    Fixtures.project(dir);
    Fixtures.write(dir.resolve("src/main/k8s/networkpolicy.yaml"), """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: notes-ingress
        spec:
          podSelector:
            matchLabels:
              app.kubernetes.io/name: notes
          policyTypes: [Ingress]
          ingress:
          - ports:
            - port: 8080
        """);
    List<String> rendered = new ArrayList<>();
    for (String env : List.of("dev", "staging", "prod")) {
      EffectiveConfig cfg = Fixtures.notes(dir, env);
      K8sGoal.Result r = K8sGoal.run(cfg, dir.resolve("target/devplugin/k8s"), new RecordingLog());
      String out = render(r.directory());
      for (HasMetadata o : r.objects()) {
        assertThat(out).as(env + ": " + Fragments.key(o)).contains("kind: " + o.getKind() + "\n")
            .contains("name: " + o.getMetadata().getName() + "\n");
      }
      assertThat(out.split("(?m)^---$")).as(env).hasSize(r.objects().size());
      assertThat(Files.readString(r.directory().resolve("manifests.yaml")).split("(?m)^---$"))
          .hasSize(r.objects().size());
      rendered.add(env);
    }
    assertThat(rendered).containsExactly("dev", "staging", "prod");
  }

  @Test
  void volumesAndInlineSecretsRenderToo() throws Exception {
    Fixtures.project(dir);
    EffectiveConfig cfg = TestConfig.load(dir, "staging", Fixtures.NOTES
        .replace("<port>8080</port>", "<port>8080</port><ports><port><number>9090</number><name>metrics</name></port>"
            + "</ports><volumes><volume><name>data</name><mountPath>/data</mountPath><accessMode>ReadWriteMany"
            + "</accessMode></volume></volumes>")
        .replace("<kubernetes><databaseUrl>jdbc:postgresql://notes-db.staging",
            "<kubernetes><inlineSecrets>true</inlineSecrets><databaseUrl>jdbc:postgresql://notes-db.staging"));
    K8sGoal.Result r = K8sGoal.run(cfg, dir.resolve("out"), new RecordingLog());
    String out = render(r.directory());
    assertThat(out).contains("kind: PersistentVolumeClaim").contains("name: metrics");
  }
}
