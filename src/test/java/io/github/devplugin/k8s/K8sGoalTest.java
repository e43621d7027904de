package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.image.ImageLayout;
import io.github.devplugin.image.ImageRecord;
import io.github.devplugin.testing.ConfigXml;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K8sGoalTest {
  @TempDir Path dir;

  private K8sGoal.Result build(String env) {
    Fixtures.project(dir);
    return K8sGoal.run(Fixtures.notes(dir, env), dir.resolve("target/devplugin/k8s"), new RecordingLog());
  }

  private static <T> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  @Test
  void writesOneFilePerObjectAKustomizationAndTheAllInOneFile() throws Exception {
    K8sGoal.Result r = build("prod");
    Path out = dir.resolve("target/devplugin/k8s/prod");
    assertThat(r.directory()).isEqualTo(out);
    assertThat(r.objects()).extracting(HasMetadata::getKind).containsExactly("Namespace", "ServiceAccount",
        "ConfigMap", "NetworkPolicy", "Service", "Job", "Deployment", "HorizontalPodAutoscaler",
        "PodDisruptionBudget", "Ingress");
    List<String> files = K8sGoal.fileNames(r.objects());
    for (String f : files) {
      assertThat(out.resolve(f)).isRegularFile();
    }
    String kustomization = Files.readString(out.resolve("kustomization.yaml"));
    assertThat(kustomization).contains("kind: Kustomization");
    for (String f : files) {
      assertThat(kustomization).contains("- " + f + "\n");
    }
    String all = Files.readString(out.resolve("manifests.yaml"));
    assertThat(all.split("(?m)^---$")).hasSize(files.size());
    assertThat(all).startsWith("apiVersion: v1\nkind: Namespace\n");
  }

  @Test
  void podsMeetTheRestrictedProfileAndTheReliabilityDefaults() {
    K8sGoal.Result r = build("prod");
    Deployment d = one(r.objects(), Deployment.class);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Container c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals(ImageLayout.TMP_DIR));
    assertThat(pod.getVolumes()).anyMatch(v -> v.getName().equals("tmp") && v.getEmptyDir() != null);
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getLivenessProbe()).isNotNull();
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(5L);
    assertThat(one(r.objects(), ServiceAccount.class).getAutomountServiceAccountToken()).isFalse();
    assertThat(one(r.objects(), Namespace.class).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    Job job = one(r.objects(), Job.class);
    Container m = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(m.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void labelsAreTheRecommendedOnesAndSelectorsNeverContainTheVersion() {
    K8sGoal.Result r = build("staging");
    Deployment d = one(r.objects(), Deployment.class);
    assertThat(d.getMetadata().getLabels()).containsEntry(Labels.NAME, "notes")
        .containsEntry(Labels.INSTANCE, "notes-staging").containsEntry(Labels.VERSION, "1.0.0")
        .containsEntry(Labels.COMPONENT, "server").containsEntry(Labels.PART_OF, "notes")
        .containsEntry(Labels.MANAGED_BY, "devplugin");
    Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
    assertThat(selector).doesNotContainKey(Labels.VERSION).containsKeys(Labels.NAME, Labels.INSTANCE);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
    assertThat(one(r.objects(), Service.class).getSpec().getSelector()).isEqualTo(selector);
    assertThat(one(r.objects(), PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels())
        .isEqualTo(selector);
    for (HasMetadata o : r.objects()) {
      assertThat(o.getMetadata().getLabels()).as(o.getKind()).containsEntry(Labels.MANAGED_BY, "devplugin")
          .containsEntry(Labels.INSTANCE, "notes-staging");
    }
  }

  @Test
  void environmentsDecideReplicasHpaPdbAndIngress() {
    List<HasMetadata> dev = build("dev").objects();
    assertThat(dev).noneMatch(o -> o instanceof PodDisruptionBudget || o instanceof HorizontalPodAutoscaler
        || o instanceof Ingress);
    assertThat(one(dev, Deployment.class).getSpec().getReplicas()).isEqualTo(1);

    List<HasMetadata> staging = build("staging").objects();
    assertThat(one(staging, Deployment.class).getSpec().getReplicas()).isEqualTo(2);
    assertThat(one(staging, PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    Ingress ing = one(staging, Ingress.class);
    assertThat(ing.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ing.getSpec().getRules().get(0).getHost()).isEqualTo("notes.staging.example.com");
    assertThat(ing.getSpec().getTls()).isEmpty();

    List<HasMetadata> prod = build("prod").objects();
    HorizontalPodAutoscaler hpa = one(prod, HorizontalPodAutoscaler.class);
    assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
    assertThat(one(prod, Deployment.class).getSpec().getReplicas()).as("the HPA owns replicas").isNull();
    assertThat(one(prod, Ingress.class).getSpec().getTls().get(0).getSecretName()).isEqualTo("notes-tls");
  }

  @Test
  void theServiceGetsItsConfigurationAndSecretsByReference() {
    List<HasMetadata> objects = build("prod").objects();
    ConfigMap cm = one(objects, ConfigMap.class);
    assertThat(cm.getData()).containsEntry("PORT", "8080").containsEntry("LOG_LEVEL", "info")
        .containsEntry("DATABASE_URL", "jdbc:postgresql://notes-db.prod.internal:5432/notes")
        .containsEntry("DATABASE_USER", "notes").containsEntry("REDIS_URL", "redis://notes-redis:6379");
    Container c = one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("notes-config");
    EnvVar pw = c.getEnv().stream().filter(e -> e.getName().equals("DATABASE_PASSWORD")).findFirst().orElseThrow();
    assertThat(pw.getValue()).isNull();
    assertThat(pw.getValueFrom().getSecretKeyRef().getName()).isEqualTo("notes-secrets");
    assertThat(pw.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("database-password");
    assertThat(objects).noneMatch(o -> o.getKind().equals("Secret"));
    Job job = one(objects, Job.class);
    Container m = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(m.getCommand()).isEqualTo(ImageLayout.migrateCommand());
    assertThat(m.getImage()).isEqualTo(c.getImage());
    assertThat(m.getEnv()).extracting(EnvVar::getName)
        .containsExactlyInAnyOrder("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD");
    assertThat(job.getMetadata().getName()).matches("notes-migrate-[0-9a-f]{8}");
  }

  @Test
  void theImageIsPinnedByDigestFromImageJson() {
    Fixtures.project(dir);
    String ref = "registry.example.com/team/notes@sha256:" + "a".repeat(64);
    new ImageRecord("registry.example.com/team/notes", List.of("1.0.0"), "sha256:" + "a".repeat(64), null, ref,
        "registry", null, List.of("linux/amd64")).write(ImageRecord.file(dir.resolve("target/devplugin")));
    K8sGoal.Result r = K8sGoal.run(Fixtures.notes(dir, "prod"), dir.resolve("target/devplugin/k8s"),
        new RecordingLog());
    Container c = one(r.objects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(ref);
    assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(r.image().source()).isEqualTo("target/devplugin/image.json");
  }

  @Test
  void anImageBuiltForAnotherEnvironmentIsNotDeployed() {
    Fixtures.project(dir);
    String ref = "registry.example.com/team/notes@sha256:" + "b".repeat(64);
    new ImageRecord("registry.example.com/team/notes", List.of("1.0.0"), "sha256:" + "b".repeat(64), null, ref,
        "registry", null, List.of("linux/amd64")).withEnvironment("dev")
        .write(ImageRecord.file(dir.resolve("target/devplugin")));
    K8sGoal.Result prod = K8sGoal.run(Fixtures.notes(dir, "prod"), dir.resolve("target/devplugin/k8s"),
        new RecordingLog());
    assertThat(one(prod.objects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage()).isNotEqualTo(ref);
    assertThat(prod.image().source()).contains("image.json holds the image of environment dev, not prod");
    K8sGoal.Result dev = K8sGoal.run(Fixtures.notes(dir, "dev"), dir.resolve("target/devplugin/k8s"),
        new RecordingLog());
    assertThat(dev.image().reference()).isEqualTo(ref);
  }

  @Test
  void imageReferencesAreCheckedExactlyAsTheImageGoalChecksThem() {
    Fixtures.project(dir);
    String bad = Fixtures.NOTES.replace("<service><name>notes</name>",
        "<service><name>notes</name></service><image><to>127.0.0.1:5555/Rel/App::x</to></image><service>");
    EffectiveConfig cfg = TestConfig.load(TestConfig.project(dir, "1.0.0"), "dev", bad);
    // the image goal's own message, from the same parser (ImagePlanner.destination)
    String imageGoalMessage = org.assertj.core.api.Assertions.catchThrowable(
        () -> io.github.devplugin.image.ImagePlanner.destination(cfg.image(), cfg.service())).getMessage();
    assertThat(imageGoalMessage).contains("<image><to>").contains("'127.0.0.1:5555/Rel/App::x' is not a valid image"
        + " reference").contains("Fix:");
    assertThatThrownBy(() -> K8sGoal.run(cfg, dir.resolve("target/devplugin/k8s"), new RecordingLog()))
        .isInstanceOf(io.github.devplugin.core.UserError.class).hasMessage(imageGoalMessage);
    assertThat(dir.resolve("target/devplugin/k8s/dev")).doesNotExist();
    // a target that names a digest is refused as the image goal refuses it
    String digest = Fixtures.NOTES.replace("<service><name>notes</name>", "<service><name>notes</name></service>"
        + "<image><to>registry.example.com/notes@sha256:" + "c".repeat(64) + "</to></image><service>");
    assertThatThrownBy(() -> K8sGoal.run(TestConfig.load(TestConfig.project(dir, "1.0.0"), "dev", digest),
        dir.resolve("target/devplugin/k8s"), new RecordingLog()))
        .hasMessageContaining("<image><to> 'registry.example.com/notes@sha256:").hasMessageContaining("names a digest");
    // the version as the tag of a tag-less target: refused naming where the reference came from
    String tagless = Fixtures.NOTES.replace("<service><name>notes</name>", "<service><name>notes</name></service>"
        + "<image><to>registry.example.com/team/notes</to></image><service>");
    assertThatThrownBy(() -> K8sGoal.run(TestConfig.load(TestConfig.project(dir, "1.0+build"), "dev", tagless),
        dir.resolve("target/devplugin/k8s"), new RecordingLog()))
        .isInstanceOf(io.github.devplugin.core.UserError.class)
        .hasMessageContaining("'registry.example.com/team/notes:1.0+build' (from <image><to> with the tag"
            + " <service><version>) is not a valid image reference");
    // a hand-edited image.json
    new ImageRecord("registry.example.com/team/notes", List.of("1.0.0"), null, null, "Registry.example.com/Team/Notes",
        "registry", null, List.of("linux/amd64")).withEnvironment("dev")
        .write(ImageRecord.file(dir.resolve("target/devplugin")));
    assertThatThrownBy(() -> K8sGoal.run(Fixtures.notes(dir, "dev"), dir.resolve("target/devplugin/k8s"),
        new RecordingLog()))
        .hasMessageContaining("'Registry.example.com/Team/Notes' (from target/devplugin/image.json)");
    assertThat(dir.resolve("target/devplugin/k8s/dev")).doesNotExist();
  }

  @Test
  void everyEnvironmentGetsADefaultDenyNetworkPolicyWithTheTrafficTheServiceNeeds() {
    for (String env : List.of("dev", "staging", "prod")) {
      K8sGoal.Result r = build(env);
      var np = one(r.objects(), io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
      assertThat(np.getMetadata().getName()).isEqualTo("notes");
      assertThat(np.getMetadata().getNamespace()).isEqualTo("notes-" + env);
      assertThat(np.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "devplugin")
          .containsEntry(Labels.INSTANCE, "notes-" + env);
      // every pod of the service (server and migration), nothing else
      assertThat(np.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of(Labels.NAME, "notes",
          Labels.INSTANCE, "notes-" + env));
      assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
      String yaml = K8sYaml.write(np);
      assertThat(yaml).contains("  ingress:\n  - from:\n    - podSelector: {}\n    - namespaceSelector:\n"
          + "        matchLabels:\n          kubernetes.io/metadata.name: ingress-nginx\n    ports:\n"
          + "    - port: 8080\n      protocol: TCP\n");
      assertThat(np.getSpec().getEgress()).hasSize(2);
      assertThat(np.getSpec().getEgress().get(0).getTo()).singleElement().satisfies(p -> assertThat(
          p.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "kube-system")));
      assertThat(np.getSpec().getEgress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal() + "/"
          + p.getProtocol()).containsExactly("53/UDP", "53/TCP");
      // the database and Redis, by their ports, anywhere (their hosts are names)
      assertThat(np.getSpec().getEgress().get(1).getTo()).isNullOrEmpty();
      assertThat(np.getSpec().getEgress().get(1).getPorts()).extracting(p -> p.getPort().getIntVal() + "/"
          + p.getProtocol()).containsExactly("5432/TCP", "6379/TCP");
      // the ConfigMap records the kind, so apply prunes it when it is turned off
      assertThat(one(r.objects(), ConfigMap.class).getMetadata().getAnnotations().get(ManifestGenerator.KINDS))
          .contains("networking.k8s.io/v1/NetworkPolicy");
    }
    assertThat(Inventory.STANDARD_KINDS).contains("networking.k8s.io/v1/NetworkPolicy");
  }

  @Test
  void theNetworkPolicyIsConfigurableAndOffOnlyWithALoggedReason() {
    Fixtures.project(dir);
    String custom = Fixtures.NOTES.replace("<kubernetes><redisUrl>redis://notes-redis:6379</redisUrl></kubernetes>",
        """
        <kubernetes><redisUrl>redis://cache.internal:6380</redisUrl><databaseUrl>jdbc:postgresql://db.internal:6543/\
        notes</databaseUrl>
          <networkPolicy>
            <ingressNamespaceLabels><label>team=edge</label><label>kubernetes.io/metadata.name=traefik</label>
            </ingressNamespaceLabels>
            <extraIngress><rule><name>metrics</name><namespace>monitoring</namespace><port>9090</port></rule>
            </extraIngress>
            <extraEgress><rule><name>payments</name><cidr>10.20.0.0/16</cidr><port>443</port></rule>
              <rule><name>dns-over-udp</name><port>5353</port><protocol>UDP</protocol></rule></extraEgress>
          </networkPolicy></kubernetes>""")
        .replace("<dev><kubernetes><databaseUrl>jdbc:postgresql://notes-postgres:5432/notes</databaseUrl></kubernetes>"
            + "</dev>", "<dev/>");
    K8sGoal.Result r = K8sGoal.run(TestConfig.load(dir, "dev", custom), dir.resolve("out"), new RecordingLog());
    var np = one(r.objects(), io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);
    assertThat(np.getSpec().getIngress().get(0).getFrom().get(1).getNamespaceSelector().getMatchLabels())
        .isEqualTo(Map.of("team", "edge", "kubernetes.io/metadata.name", "traefik"));
    assertThat(np.getSpec().getIngress().get(1).getFrom()).singleElement().satisfies(p -> assertThat(
        p.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring")));
    assertThat(np.getSpec().getIngress().get(1).getPorts().get(0).getPort().getIntVal()).isEqualTo(9090);
    assertThat(np.getSpec().getEgress().get(1).getPorts()).extracting(p -> p.getPort().getIntVal())
        .containsExactly(6543, 6380);
    assertThat(np.getSpec().getEgress().get(2).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.20.0.0/16");
    assertThat(np.getSpec().getEgress().get(3).getTo()).isNullOrEmpty();
    assertThat(np.getSpec().getEgress().get(3).getPorts().get(0).getProtocol()).isEqualTo("UDP");

    // off without a reason: a configuration error naming the element
    String offSilently = Fixtures.NOTES.replace("<kubernetes><redisUrl>", "<kubernetes><networkPolicy><enabled>false"
        + "</enabled></networkPolicy><redisUrl>");
    assertThatThrownBy(() -> TestConfig.load(dir, "dev", offSilently))
        .hasMessageContaining("<kubernetes><networkPolicy><enabled>")
        .hasMessageContaining("turned off without a reason").hasMessageContaining("<disabledReason>");
    // bad rules name their element
    String badRules = Fixtures.NOTES.replace("<kubernetes><redisUrl>", "<kubernetes><networkPolicy><extraEgress>"
        + "<rule><name>x</name><cidr>10.0.0.0</cidr><protocol>ICMP</protocol></rule></extraEgress>"
        + "<ingressNamespaceLabels>ingress-nginx</ingressNamespaceLabels></networkPolicy><redisUrl>");
    assertThatThrownBy(() -> TestConfig.load(dir, "dev", badRules))
        .hasMessageContaining("'10.0.0.0' is not an IP block").hasMessageContaining("'ICMP' is not a protocol")
        .hasMessageContaining("'ingress-nginx' is not a label selector term key=value");
    // off with a reason, for one environment: no NetworkPolicy there, and the log says why
    String off = Fixtures.NOTES.replace("<dev><kubernetes>", "<dev><kubernetes><networkPolicy><enabled>false"
        + "</enabled><disabledReason>the kind cluster's CNI enforces none</disabledReason></networkPolicy>");
    RecordingLog log = new RecordingLog();
    K8sGoal.Result dev = K8sGoal.run(TestConfig.load(dir, "dev", off), dir.resolve("out"), log);
    assertThat(dev.objects()).noneMatch(o -> o instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy);
    assertThat(log.lines).contains("WARN No NetworkPolicy for notes in environment dev (<kubernetes><networkPolicy>"
        + "<enabled>false): the kind cluster's CNI enforces none. Its pods accept and open any connection.");
    assertThat(K8sGoal.run(TestConfig.load(dir, "prod", off), dir.resolve("out"), new RecordingLog()).objects())
        .anyMatch(o -> o instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy);
  }

  @Test
  void prodRefusesAMutableTag() {
    Fixtures.project(dir);
    EffectiveConfig cfg = TestConfig.load(TestConfig.project(dir, "1.1.0-SNAPSHOT"), "prod", Fixtures.NOTES);
    assertThatThrownBy(() -> K8sGoal.run(cfg, dir.resolve("target/devplugin/k8s"), new RecordingLog()))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("Deployment/notes spec.template.spec.containers[notes].image: 'notes:1.1.0-SNAPSHOT'"
            + " is a mutable tag, which environment 'prod' forbids")
        .hasMessageContaining("Fix: run devplugin:image first");
    assertThat(dir.resolve("target/devplugin/k8s/prod")).doesNotExist();
    // dev allows it
    EffectiveConfig dev = TestConfig.load(TestConfig.project(dir, "1.1.0-SNAPSHOT"), "dev", Fixtures.NOTES);
    K8sGoal.run(dev, dir.resolve("target/devplugin/k8s"), new RecordingLog());
  }

  @Test
  void identicalInputsGiveByteIdenticalOutputAndASecondRunDoesNoWork() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Fixtures.project(a);
    Fixtures.project(b);
    K8sGoal.run(Fixtures.notes(a, "prod"), a.resolve("out"), new RecordingLog());
    K8sGoal.run(Fixtures.notes(b, "prod"), b.resolve("out"), new RecordingLog());
    List<Path> filesA = files(a.resolve("out/prod"));
    assertThat(filesA).hasSizeGreaterThan(5);
    for (Path f : filesA) {
      assertThat(Files.readAllBytes(b.resolve("out/prod").resolve(f.getFileName())))
          .as(f.getFileName().toString()).isEqualTo(Files.readAllBytes(f));
    }
    RecordingLog log = new RecordingLog();
    K8sGoal.Result again = K8sGoal.run(Fixtures.notes(a, "prod"), a.resolve("out"), log);
    assertThat(again.upToDate()).isTrue();
    assertThat(again.written()).isZero();
    assertThat(again.objects()).hasSize(filesA.size() - 2);
    assertThat(K8sGoal.fileNames(again.objects())).as("read back from the written files, in apply order")
        .isEqualTo(K8sGoal.writtenFiles(a.resolve("out/prod")));
    assertThat(log.text()).contains("Kubernetes manifests for prod are up to date");

    // a file the kustomization lists gone: not up to date, written again
    Files.delete(a.resolve("out/prod").resolve(K8sGoal.writtenFiles(a.resolve("out/prod")).get(0)));
    assertThat(K8sGoal.writtenFiles(a.resolve("out/prod"))).isNull();
    K8sGoal.Result repaired = K8sGoal.run(Fixtures.notes(a, "prod"), a.resolve("out"), new RecordingLog());
    assertThat(repaired.upToDate()).isFalse();
    assertThat(repaired.written()).isEqualTo(1);
    assertThat(files(a.resolve("out/prod"))).hasSize(filesA.size());
  }

  @Test
  void aChangedInputRegeneratesAndNewMigrationsRenameTheJob() throws Exception {
    K8sGoal.Result first = build("dev");
    String job = one(first.objects(), Job.class).getMetadata().getName();
    Fixtures.write(dir.resolve("src/main/resources/db/migration/V2__more.sql"), "alter table notes add x int;\n");
    K8sGoal.Result second = K8sGoal.run(Fixtures.notes(dir, "dev"), dir.resolve("target/devplugin/k8s"),
        new RecordingLog());
    assertThat(second.upToDate()).isFalse();
    String renamed = one(second.objects(), Job.class).getMetadata().getName();
    assertThat(renamed).isNotEqualTo(job);
    Path out = dir.resolve("target/devplugin/k8s/dev");
    assertThat(out.resolve("job-" + renamed + ".yaml")).isRegularFile();
    assertThat(out.resolve("job-" + job + ".yaml")).as("stale file removed").doesNotExist();
  }

  @Test
  void aConfigurationChangeChangesThePodTemplateHash() {
    Deployment a = one(build("dev").objects(), Deployment.class);
    EffectiveConfig changed = TestConfig.load(dir, "dev", Fixtures.NOTES.replace("<LOG_LEVEL>info", "<LOG_LEVEL>warn"));
    List<HasMetadata> objects = K8sGoal.run(changed, dir.resolve("target/devplugin/k8s"),
        new RecordingLog()).objects();
    Deployment b = one(objects, Deployment.class);
    assertThat(b.getSpec().getTemplate().getMetadata().getAnnotations().get(ManifestGenerator.CONFIG_HASH))
        .isNotEqualTo(a.getSpec().getTemplate().getMetadata().getAnnotations().get(ManifestGenerator.CONFIG_HASH));
  }

  @Test
  void volumesBecomeClaims() {
    Fixtures.project(dir);
    EffectiveConfig cfg = TestConfig.load(dir, "dev", Fixtures.NOTES.replace("<port>8080</port>",
        "<port>8080</port><volumes><volume><name>data</name><mountPath>/data</mountPath><size>2Gi</size>"
            + "</volume></volumes>"));
    List<HasMetadata> objects = K8sGoal.run(cfg, dir.resolve("out"), new RecordingLog()).objects();
    var pvc = one(objects, io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class);
    assertThat(pvc.getMetadata().getName()).isEqualTo("notes-data");
    assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
    PodSpec pod = one(objects, Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
        && v.getPersistentVolumeClaim().getClaimName().equals("notes-data"));
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
  }

  @Test
  void aDatabaseWithoutUrlSaysWhatToSet() {
    Fixtures.project(dir);
    EffectiveConfig cfg = TestConfig.load(dir, "dev", Fixtures.NOTES.replace(
        "<dev><kubernetes><databaseUrl>jdbc:postgresql://notes-postgres:5432/notes</databaseUrl></kubernetes></dev>",
        ""));
    assertThatThrownBy(() -> K8sGoal.run(cfg, dir.resolve("out"), new RecordingLog()))
        .hasMessageContaining("<database><url>: the service needs DATABASE_URL in environment 'dev'")
        .hasMessageContaining("set <environments><dev><database><url>jdbc:postgresql://HOST:5432/notes</url>");
  }

  private static List<Path> files(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }

  @Test
  void theOutputDirectoryIsATracedOverrideAndTheStampFollowsTheOneScheme() {
    Fixtures.project(dir);
    EffectiveConfig cfg = ConfigXml.load(TestConfig.project(dir, "1.0.0"), Fixtures.NOTES, "prod",
        List.of(new ConfigLoader.Override("kubernetes.outputDirectory", "out/k8s", "-Ddevplugin.k8s.outputDirectory")));
    assertThat(cfg.where("kubernetes.outputDirectory")).isEqualTo("-Ddevplugin.k8s.outputDirectory");
    assertThat(cfg.where("kubernetes.undoOnFailure")).isEqualTo("<kubernetes><undoOnFailure> (-Ddevplugin.apply.undo)");

    K8sGoal.Result r = K8sGoal.run(cfg, new RecordingLog());

    assertThat(r.directory()).isEqualTo(dir.resolve("out/k8s/prod"));
    assertThat(dir.resolve("out/k8s/prod/manifests.yaml")).isRegularFile();
    assertThat(dir.resolve("target/devplugin/stamps/k8s-prod.fingerprint")).isRegularFile();
    assertThat(dir.resolve("out/k8s/.prod.stamp")).doesNotExist();
    assertThat(K8sGoal.run(cfg, new RecordingLog()).upToDate()).isTrue();
  }

  @Test
  void severalEnvironmentsInOneRunWriteExactlyWhatEachWritesAloneEachWithItsOwnStampAndDecision() throws Exception {
    Path one = Fixtures.project(dir.resolve("one"));
    Path alone = Fixtures.project(dir.resolve("alone"));
    io.github.devplugin.config.Configuration all = ConfigXml.loadAll(TestConfig.project(one, "1.0.0"),
        Fixtures.NOTES, "dev");
    List<String> envs = K8sGoal.environments(List.of("prod,staging", "dev", "prod"), all);
    assertThat(envs).containsExactly("prod", "staging", "dev");
    RecordingLog log = new RecordingLog();
    List<K8sGoal.Result> results = K8sGoal.run(all, envs, log);
    assertThat(results).extracting(K8sGoal.Result::environment).containsExactly("prod", "staging", "dev");
    assertThat(results).noneMatch(K8sGoal.Result::upToDate);
    for (String env : envs) {
      K8sGoal.run(Fixtures.notes(alone, env), new RecordingLog());
      assertThat(log.text()).contains("Kubernetes manifests for " + env + ": ");
      assertThat(one.resolve("target/devplugin/stamps/k8s-" + env + ".fingerprint")).isRegularFile();
      Path a = one.resolve("target/devplugin/k8s/" + env);
      Path b = alone.resolve("target/devplugin/k8s/" + env);
      assertThat(files(a).stream().map(Path::getFileName).toList())
          .isEqualTo(files(b).stream().map(Path::getFileName).toList());
      for (Path f : files(a)) {
        assertThat(Files.readAllBytes(f)).as(env + "/" + f.getFileName())
            .isEqualTo(Files.readAllBytes(b.resolve(f.getFileName())));
      }
    }

    // again: each environment decides on its own that nothing changed
    RecordingLog again = new RecordingLog();
    assertThat(K8sGoal.run(all, envs, again)).allMatch(K8sGoal.Result::upToDate);
    for (String env : envs) {
      assertThat(again.text()).contains("Kubernetes manifests for " + env + " are up to date");
    }
    // one environment's output removed: only that one is written again
    Files.delete(one.resolve("target/devplugin/k8s/staging/manifests.yaml"));
    List<K8sGoal.Result> repaired = K8sGoal.run(all, envs, new RecordingLog());
    assertThat(repaired).extracting(K8sGoal.Result::upToDate).containsExactly(true, false, true);
    assertThat(repaired.get(1).written()).isEqualTo(1);
    // a new migration changes every environment's Job
    Fixtures.write(one.resolve("src/main/resources/db/migration/V2__more.sql"), "alter table notes add x int;\n");
    assertThat(K8sGoal.run(all, envs, new RecordingLog())).noneMatch(K8sGoal.Result::upToDate);
  }

  @Test
  void anImageRecordedAfterTheLastRunIsDeployedNotSkipped() {
    Fixtures.project(dir);
    assertThat(K8sGoal.run(Fixtures.notes(dir, "dev"), new RecordingLog()).upToDate()).isFalse();
    assertThat(K8sGoal.run(Fixtures.notes(dir, "dev"), new RecordingLog()).upToDate()).isTrue();
    String ref = "registry.example.com/team/notes@sha256:" + "d".repeat(64);
    new ImageRecord("registry.example.com/team/notes", List.of("1.0.0"), "sha256:" + "d".repeat(64), null, ref,
        "registry", null, List.of("linux/amd64")).withEnvironment("dev")
        .write(ImageRecord.file(dir.resolve("target/devplugin")));
    K8sGoal.Result r = K8sGoal.run(Fixtures.notes(dir, "dev"), new RecordingLog());
    assertThat(r.upToDate()).isFalse();
    assertThat(one(r.objects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(ref);
    K8sGoal.Result same = K8sGoal.run(Fixtures.notes(dir, "dev"), new RecordingLog());
    assertThat(same.upToDate()).isTrue();
    assertThat(same.image().reference()).as("chosen when asked for").isEqualTo(ref);
    // a hand-edited image.json is checked again, not trusted because the configuration did not change
    new ImageRecord("registry.example.com/team/notes", List.of("1.0.0"), null, null, "Bad/Ref",
        "registry", null, List.of("linux/amd64")).withEnvironment("dev")
        .write(ImageRecord.file(dir.resolve("target/devplugin")));
    assertThatThrownBy(() -> K8sGoal.run(Fixtures.notes(dir, "dev"), new RecordingLog()))
        .hasMessageContaining("'Bad/Ref' (from target/devplugin/image.json)");
  }

  @Test
  void unknownEnvironmentsFailNamingTheParameterAndTheKnownOnes() {
    io.github.devplugin.config.Configuration all = ConfigXml.loadAll(TestConfig.project(dir, "1.0.0"),
        Fixtures.NOTES, "staging");
    assertThat(K8sGoal.environments(null, all)).containsExactly("staging");
    assertThat(K8sGoal.environments(List.of(" ", ""), all)).containsExactly("staging");
    assertThat(K8sGoal.requested(List.of("a, b", "a"), "dev")).containsExactly("a", "b");
    assertThatThrownBy(() -> K8sGoal.environments(List.of("dev,qa,prd"), all))
        .isInstanceOf(io.github.devplugin.core.ProblemsException.class)
        .hasMessageContaining("(2 problems)")
        .hasMessageContaining("-Ddevplugin.k8s.environments (<k8sEnvironments>): unknown environment 'qa'; the known"
            + " environments are dev, prod, staging.")
        .hasMessageContaining("unknown environment 'prd'")
        .hasMessageContaining("-Ddevplugin.k8s.environments=dev,prod,staging");
  }
}
