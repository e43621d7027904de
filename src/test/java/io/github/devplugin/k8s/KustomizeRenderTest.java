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
    io.fabric8.kubernetes.client.utils.KubernetesSerialization yaml =
        new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    for (String env : List.of("dev", "staging", "prod")) {
      EffectiveConfig cfg = Fixtures.notes(dir, env);
      K8sGoal.Result r = K8sGoal.run(cfg, dir.resolve("target/devplugin/k8s"), new RecordingLog());
      // the kustomization lists exactly the object files written
      List<String> listed = Files.readString(r.directory().resolve("kustomization.yaml")).lines()
          .filter(l -> l.startsWith("- ")).map(l -> l.substring(2)).sorted().toList();
      List<String> files;
      try (java.util.stream.Stream<Path> list = Files.list(r.directory())) {
        files = list.map(f -> f.getFileName().toString())
            .filter(f -> !f.equals("kustomization.yaml") && !f.equals("manifests.yaml")).sorted().toList();
      }
      assertThat(listed).as(env + ": kustomization resources").isEqualTo(files).hasSize(r.objects().size());
      // kustomize renders every generated object, and each exactly as generated (the fragment included)
      List<HasMetadata> rendered = parse(yaml, render(r.directory()));
      assertThat(keys(rendered)).as(env).isEqualTo(keys(r.objects()));
      assertThat(keys(rendered)).as(env).contains("NetworkPolicy/notes-ingress");
      for (HasMetadata o : r.objects()) {
        HasMetadata same = rendered.stream().filter(x -> Fragments.key(x).equals(Fragments.key(o))).findFirst()
            .orElseThrow();
        assertThat(K8sYaml.tree(same)).as(env + ": " + Fragments.key(o)).isEqualTo(K8sYaml.tree(o));
      }
      assertThat(keys(parse(yaml, Files.readString(r.directory().resolve("manifests.yaml"))))).as(env)
          .isEqualTo(keys(r.objects()));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<HasMetadata> parse(io.fabric8.kubernetes.client.utils.KubernetesSerialization yaml,
      String text) {
    Object parsed = yaml.unmarshal(text);
    return parsed instanceof List<?> l ? (List<HasMetadata>) l : List.of((HasMetadata) parsed);
  }

  private static List<String> keys(List<HasMetadata> objects) {
    return objects.stream().map(Fragments::key).sorted().toList();
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
