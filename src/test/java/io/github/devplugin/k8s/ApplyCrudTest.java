package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The create / update / prune / undeploy flow (and undo) against the fabric8 mock server in CRUD mode, which keeps
 * the objects it is sent. CRUD mode does not implement server-side apply, so objects are written with create-or-update
 * here; the server-side-apply requests themselves are checked in {@link ApplyExpectationsTest}. A tiny controller,
 * run on every pause of {@code apply}, completes Jobs, creates ReplicaSets and reports rollouts.
 */
class ApplyCrudTest {
  static final String NS = "notes-staging";
  static final ResourceWriter CREATE_OR_UPDATE = (c, o, dryRun) -> c.resource(o)
      .createOr(NonDeletingOperation::update);

  @TempDir Path dir;
  KubernetesMockServer server;
  KubernetesClient client;
  FakeTicker ticker = new FakeTicker();
  RecordingLog log = new RecordingLog();

  @BeforeAll
  static void quiet() {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
  }

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(List.of()), false);
    server.init();
    client = server.createClient();
    ticker.onSleep = this::reconcile;
    Fixtures.project(dir);
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  /**
   * A minimal controller: Jobs complete; a Deployment gets a ReplicaSet per pod template, numbered as the real
   * controller numbers revisions ({@code deployment.kubernetes.io/revision} on the ReplicaSet and on the Deployment:
   * a new template gets the next number, a template that matches an older ReplicaSet moves it to the next number);
   * images named broken never become available.
   */
  void reconcile() {
    for (Job j : client.batch().v1().jobs().inNamespace(NS).list().getItems()) {
      if (j.getStatus() == null || j.getStatus().getConditions() == null || j.getStatus().getConditions().isEmpty()) {
        j.setStatus(new JobStatusBuilder().withSucceeded(1).addNewCondition().withType("Complete").withStatus("True")
            .endCondition().build());
        client.resource(j).updateStatus();
      }
    }
    for (Deployment d : client.apps().deployments().inNamespace(NS).list().getItems()) {
      PodTemplateSpec t = d.getSpec().getTemplate();
      String hash = ManifestGenerator.sha256(K8sYaml.json(t)).substring(0, 10);
      String rsName = d.getMetadata().getName() + "-" + hash;
      List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(NS).list().getItems();
      long newest = sets.stream().mapToLong(ApplyCrudTest::revision).max().orElse(0);
      ReplicaSet current = sets.stream().filter(rs -> rs.getMetadata().getName().equals(rsName)).findFirst()
          .orElse(null);
      long revision;
      if (current == null) {
        revision = newest + 1;
        Map<String, String> labels = new TreeMap<>(t.getMetadata().getLabels());
        labels.put("pod-template-hash", hash);
        PodTemplateSpec copy = K8sYaml.copy(new io.fabric8.kubernetes.api.model.PodTemplateBuilder()
            .withNewMetadata().withName("t").endMetadata().withTemplate(t).build()).getTemplate();
        copy.getMetadata().setLabels(labels);
        client.resource(new ReplicaSetBuilder().withNewMetadata().withName(rsName)
            .withNamespace(NS).withLabels(labels).addToAnnotations(REVISION, String.valueOf(revision))
            .withOwnerReferences(new OwnerReferenceBuilder().withKind("Deployment")
                .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid()).withController(true).build())
            .endMetadata().withNewSpec().withNewSelector().withMatchLabels(labels).endSelector().withTemplate(copy)
            .endSpec().build()).create();
      } else if (revision(current) < newest) {
        revision = newest + 1;
        current.getMetadata().getAnnotations().put(REVISION, String.valueOf(revision));
        client.resource(current).update();
      } else {
        revision = revision(current);
      }
      if (!String.valueOf(revision).equals(d.getMetadata().getAnnotations() == null ? null
          : d.getMetadata().getAnnotations().get(REVISION))) {
        client.apps().deployments().inNamespace(NS).withName(d.getMetadata().getName())
            .edit(e -> new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(e).editMetadata()
                .addToAnnotations(REVISION, String.valueOf(revision)).endMetadata().build());
        d = client.apps().deployments().inNamespace(NS).withName(d.getMetadata().getName()).get();
      }
      int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      boolean broken = t.getSpec().getContainers().get(0).getImage().contains("broken");
      DeploymentStatusBuilder st = new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
          .withReplicas(want).withUpdatedReplicas(want).withAvailableReplicas(broken ? 0 : want);
      if (broken) {
        st.addToConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
            .withReason("ProgressDeadlineExceeded").withMessage("timed out progressing").build());
      }
      d.setStatus(st.build());
      client.resource(d).updateStatus();
    }
  }

  static final String REVISION = "deployment.kubernetes.io/revision";

  static long revision(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null || a.get(REVISION) == null ? 0 : Long.parseLong(a.get(REVISION));
  }

  private ApplyGoal deployer() {
    return new ApplyGoal(client, log, ticker, CREATE_OR_UPDATE);
  }

  private ApplyGoal.Summary apply(EffectiveConfig cfg) {
    return apply(cfg, ApplyGoal.Options.of(cfg));
  }

  private void userObjects() {
    client.resource(new SecretBuilder().withNewMetadata().withName("notes-secrets").withNamespace(NS).endMetadata()
        .addToData("database-password", "eA==").build()).create();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("billing-config").withNamespace(NS)
        .addToLabels(Labels.ownership("billing-staging")).endMetadata().addToData("X", "1").build()).create();
  }

  private boolean exists(Class<? extends HasMetadata> type, String name) {
    return client.resources(type).inNamespace(NS).withName(name).get() != null;
  }

  @Test
  void createUpdatePruneAndUndeployTouchOnlyWhatThePluginCreated() throws Exception {
    userObjects();
    Fixtures.write(dir.resolve("src/main/k8s/networkpolicy.yaml"), """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: notes-ingress
        spec:
          podSelector: {}
          policyTypes: [Ingress]
        """);
    EffectiveConfig v1 = Fixtures.notes(dir, "staging");
    ApplyGoal.Summary first = apply(v1);
    assertThat(first.created()).contains("Namespace/notes-staging", "Deployment/notes", "Ingress/notes",
        "PodDisruptionBudget/notes", "NetworkPolicy/notes-ingress");
    Job job1 = client.batch().v1().jobs().inNamespace(NS).list().getItems().get(0);
    assertThat(job1.getStatus().getConditions().get(0).getType()).isEqualTo("Complete");
    Deployment d1 = client.apps().deployments().inNamespace(NS).withName("notes").get();
    assertThat(d1.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "devplugin");
    assertThat(log.text()).contains("Deployment notes rolled out: 2 of 2 replicas available.");

    // update: one replica, no ingress, no fragment, another log level
    Files.delete(dir.resolve("src/main/k8s/networkpolicy.yaml"));
    EffectiveConfig v2 = TestConfig.load(dir, "staging", Fixtures.NOTES
        .replace("<replicas>2</replicas>", "<replicas>1</replicas>")
        .replace("<ingress><host>notes.staging.example.com</host><className>nginx</className></ingress>", "")
        .replace("<LOG_LEVEL>info", "<LOG_LEVEL>warn"));
    ApplyGoal.Summary second = apply(v2);
    assertThat(second.configured()).contains("ConfigMap/notes-config", "Deployment/notes");
    assertThat(client.configMaps().inNamespace(NS).withName("notes-config").get().getData())
        .containsEntry("LOG_LEVEL", "warn");
    assertThat(client.apps().deployments().inNamespace(NS).withName("notes").get().getSpec().getReplicas())
        .isEqualTo(1);
    assertThat(second.pruned()).containsExactlyInAnyOrder("Ingress/notes", "PodDisruptionBudget/notes",
        "NetworkPolicy/notes-ingress", "Job/" + job1.getMetadata().getName());
    assertThat(exists(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class, "notes")).isFalse();
    assertThat(exists(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, "notes-ingress")).isFalse();
    assertThat(exists(io.fabric8.kubernetes.api.model.Secret.class, "notes-secrets")).as("user's Secret").isTrue();
    assertThat(exists(ConfigMap.class, "billing-config")).as("another service's object").isTrue();

    // undeploy: everything of ours, nothing else; the namespace stays while it holds foreign objects
    UndeployGoal.Summary gone = new UndeployGoal(client, log).undeploy(v2, List.of(), false, false);
    assertThat(gone.deleted()).contains("Deployment/notes", "ConfigMap/notes-config", "Service/notes",
        "ServiceAccount/notes").noneMatch(k -> k.contains("billing") || k.equals("Secret/notes-secrets"));
    assertThat(gone.namespaceDeleted()).isFalse();
    assertThat(log.text()).contains("Kept namespace notes-staging: it holds objects devplugin did not create"
        + " (ConfigMap/billing-config, Secret/notes-secrets)");
    assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(exists(io.fabric8.kubernetes.api.model.Secret.class, "notes-secrets")).isTrue();
    assertThat(exists(ConfigMap.class, "billing-config")).isTrue();

    client.secrets().inNamespace(NS).withName("notes-secrets").delete();
    client.configMaps().inNamespace(NS).withName("billing-config").delete();
    UndeployGoal.Summary again = new UndeployGoal(client, log).undeploy(v2, List.of(), false, false);
    assertThat(again.namespaceDeleted()).isTrue();
    assertThat(client.namespaces().withName(NS).get()).isNull();
  }

  private static final String VOLUME = "<volumes><volume><name>data</name><mountPath>/var/lib/notes</mountPath>"
      + "<size>2Gi</size></volume></volumes></service>";

  /** The example service with a volume (a PVC {@code notes-data}) in staging. */
  private EffectiveConfig withVolume() {
    return TestConfig.load(dir, "staging", Fixtures.NOTES.replaceFirst("</service>", VOLUME));
  }

  private ApplyGoal.Summary apply(EffectiveConfig cfg, ApplyGoal.Options options) {
    List<HasMetadata> objects = K8sGoal.run(cfg, dir.resolve("target/devplugin/k8s"), new RecordingLog())
        .objects();
    Secrets secrets = new Secrets(cfg.secrets(), id -> Optional.empty(), n -> null, new Masker());
    return deployer().apply(cfg, objects, secrets, options.withTimeouts(60_000, 60_000, 1000));
  }

  private boolean pvcExists() {
    return exists(PersistentVolumeClaim.class, "notes-data");
  }

  @Test
  void aVolumeNoLongerDeclaredIsKeptOnPruneUnlessPruneVolumesIsSet() {
    userObjects();
    EffectiveConfig v1 = withVolume();
    ApplyGoal.Summary first = apply(v1);
    assertThat(first.created()).contains("PersistentVolumeClaim/notes-data");
    PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(NS).withName("notes-data").get();
    assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
    assertThat(pvc.getMetadata().getLabels()).containsAllEntriesOf(Labels.ownership(v1));

    // the volume is removed from the POM; prune is on (the default) but pruneVolumes is not
    EffectiveConfig v2 = Fixtures.notes(dir, "staging");
    assertThat(v2.kubernetes().prune()).isTrue();
    ApplyGoal.Summary second = apply(v2, ApplyGoal.Options.of(v2));
    assertThat(pvcExists()).as("PVC kept without pruneVolumes").isTrue();
    assertThat(second.pruned()).doesNotContain("PersistentVolumeClaim/notes-data");
    assertThat(log.text()).contains("WARN Kept PersistentVolumeClaim/notes-data: it is no longer generated, but"
        + " deleting it deletes its data. Delete it with kubectl -n notes-staging delete pvc notes-data, or apply"
        + " with -Ddevplugin.apply.pruneVolumes=true.");

    // prune off: kept even with pruneVolumes
    apply(v2, ApplyGoal.Options.of(v2).withPrune(false, true));
    assertThat(pvcExists()).as("PVC kept when prune is off").isTrue();

    // pruneVolumes: deleted
    ApplyGoal.Summary third = apply(v2, ApplyGoal.Options.of(v2).withPrune(true, true));
    assertThat(third.pruned()).containsExactly("PersistentVolumeClaim/notes-data");
    assertThat(pvcExists()).as("PVC pruned with pruneVolumes").isFalse();
  }

  @Test
  void undeployKeepsVolumesOnlyWhenAskedAndThenKeepsTheirNamespace() {
    EffectiveConfig cfg = withVolume();
    client.resource(new SecretBuilder().withNewMetadata().withName("notes-secrets").withNamespace(NS).endMetadata()
        .addToData("database-password", "eA==").build()).create();
    apply(cfg);
    assertThat(pvcExists()).isTrue();

    UndeployGoal.Summary kept = new UndeployGoal(client, log).undeploy(cfg, List.of(), true, false);
    assertThat(kept.kept()).containsExactly("PersistentVolumeClaim/notes-data", "Namespace/notes-staging");
    assertThat(kept.deleted()).contains("Deployment/notes")
        .doesNotContain("PersistentVolumeClaim/notes-data", "Namespace/notes-staging");
    assertThat(pvcExists()).as("PVC kept by keepVolumes").isTrue();
    assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.namespaces().withName(NS).get()).as("namespace holding the kept PVC").isNotNull();
    assertThat(log.text()).contains("  kept       PersistentVolumeClaim/notes-data (keepVolumes)");

    client.secrets().inNamespace(NS).withName("notes-secrets").delete();
    UndeployGoal.Summary all = new UndeployGoal(client, log).undeploy(cfg, List.of(), false, false);
    assertThat(all.deleted()).containsExactly("PersistentVolumeClaim/notes-data", "Namespace/notes-staging");
    assertThat(pvcExists()).as("PVC deleted without keepVolumes").isFalse();
    assertThat(client.namespaces().withName(NS).get()).isNull();
  }

  @Test
  void aFailedRolloutIsUndoneToThePreviousRevisionAndNothingIsPruned() {
    userObjects();
    apply(Fixtures.notes(dir, "staging"));
    EffectiveConfig v2 = TestConfig.load(dir, "staging", Fixtures.NOTES.replace("<database>",
        "<image><to>registry.example.com/notes:2</to></image><database>"));
    apply(v2);
    Deployment good = client.apps().deployments().inNamespace(NS).withName("notes").get();
    assertThat(good.getMetadata().getAnnotations()).containsEntry(REVISION, "2");
    assertThat(exists(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class, "notes")).isTrue();

    // version 3 does not start, and no longer has an Ingress (which a successful apply would prune)
    EffectiveConfig broken = TestConfig.load(dir, "staging", Fixtures.NOTES.replace("<database>",
        "<image><to>registry.example.com/notes:broken</to></image><database>")
        .replace("<ingress><host>notes.staging.example.com</host><className>nginx</className></ingress>", ""));
    int mark = log.lines.size();
    Throwable t = catchThrowable(() -> apply(broken, ApplyGoal.Options.of(broken).withUndo(true)));
    assertThat(t).isInstanceOf(UserError.class).hasMessageContaining("made no progress within its progress deadline")
        .hasMessageContaining("Rolled back to revision 2 (ReplicaSet notes-");
    Deployment d = client.apps().deployments().inNamespace(NS).withName("notes").get();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example.com/notes:2");
    assertThat(K8sYaml.json(d.getSpec().getTemplate().getSpec()))
        .isEqualTo(K8sYaml.json(good.getSpec().getTemplate().getSpec()));
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
    assertThat(log.text()).contains("WARN Rolled Deployment notes back to revision 2");
    assertThat(log.lines.subList(mark, log.lines.size())).noneMatch(l -> l.contains("prune"));
    assertThat(exists(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class, "notes"))
        .as("nothing is pruned after a failed rollout").isTrue();
    assertThat(exists(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class, "notes")).isTrue();

    // the controller moves the restored template's ReplicaSet to the next revision, as Kubernetes does
    reconcile();
    assertThat(client.apps().deployments().inNamespace(NS).withName("notes").get().getMetadata().getAnnotations())
        .containsEntry(REVISION, "4");
  }

  @Test
  void aFailedMigrationPrunesNothing() {
    userObjects();
    apply(Fixtures.notes(dir, "staging"));
    ticker.onSleep = () -> {
      for (Job j : client.batch().v1().jobs().inNamespace(NS).list().getItems()) {
        if (j.getStatus() == null || j.getStatus().getConditions() == null) {
          j.setStatus(new JobStatusBuilder().withFailed(1).addNewCondition().withType("Failed").withStatus("True")
              .withReason("BackoffLimitExceeded").endCondition().build());
          client.resource(j).updateStatus();
        }
      }
    };
    Fixtures.write(dir.resolve("src/main/resources/db/migration/V2__broken.sql"), "broken;\n");
    EffectiveConfig v2 = TestConfig.load(dir, "staging", Fixtures.NOTES
        .replace("<ingress><host>notes.staging.example.com</host><className>nginx</className></ingress>", ""));
    Throwable t = catchThrowable(() -> apply(v2));
    assertThat(t).isInstanceOf(UserError.class).hasMessageContaining("failed: BackoffLimitExceeded");
    assertThat(exists(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class, "notes"))
        .as("nothing is pruned after a failed migration").isTrue();
    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).hasSize(2);
  }

  @Test
  void aDryRunOfUndeployListsEverythingItWouldDeleteAndDeletesNothing() {
    userObjects();
    EffectiveConfig cfg = withVolume();
    apply(cfg);
    String job = client.batch().v1().jobs().inNamespace(NS).list().getItems().get(0).getMetadata().getName();
    List<String> before = everything();

    UndeployGoal.Summary s = new UndeployGoal(client, log).undeploy(cfg, List.of(), false, true);

    assertThat(s.deleted()).containsExactly("Deployment/notes", "Job/" + job, "Ingress/notes",
        "NetworkPolicy/notes", "PodDisruptionBudget/notes", "ConfigMap/notes-config", "PersistentVolumeClaim/notes-data", "Service/notes",
        "ServiceAccount/notes");
    assertThat(s.kept()).containsExactly("Namespace/notes-staging");
    assertThat(s.namespaceDeleted()).isFalse();
    assertThat(everything()).isEqualTo(before);
    for (String key : s.deleted()) {
      assertThat(log.lines).contains("INFO   would delete " + key);
    }

    UndeployGoal.Summary keep = new UndeployGoal(client, log).undeploy(cfg, List.of(), true, true);
    assertThat(keep.deleted()).containsExactlyElementsOf(s.deleted().stream()
        .filter(k -> !k.startsWith("PersistentVolumeClaim/")).toList());
    assertThat(keep.kept()).containsExactly("PersistentVolumeClaim/notes-data", "Namespace/notes-staging");
    assertThat(everything()).isEqualTo(before);
  }

  /** Every object in the namespace, as kind/name, and the namespace itself. */
  private List<String> everything() {
    List<String> out = new java.util.ArrayList<>();
    for (String kind : UndeployGoal.FOREIGN_KINDS) {
      Inventory.list(client, NS, kind, Map.of(), log).forEach(o -> out.add(Fragments.key(o)));
    }
    for (Class<? extends HasMetadata> type : List.of(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class,
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
        io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
        io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class)) {
      client.resources(type).inNamespace(NS).list().getItems().forEach(o -> out.add(Fragments.key(o)));
    }
    if (client.namespaces().withName(NS).get() != null) {
      out.add("Namespace/" + NS);
    }
    java.util.Collections.sort(out);
    return out;
  }
}
