package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
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

  /** A minimal controller: Jobs complete; Deployments get a ReplicaSet per template; images named broken never run. */
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
      List<ReplicaSet> sets = client.apps().replicaSets().inNamespace(NS).list().getItems();
      if (sets.stream().noneMatch(rs -> rs.getMetadata().getName().equals(d.getMetadata().getName() + "-" + hash))) {
        long revision = sets.size() + 1;
        Map<String, String> labels = new TreeMap<>(t.getMetadata().getLabels());
        labels.put("pod-template-hash", hash);
        PodTemplateSpec copy = K8sYaml.copy(new io.fabric8.kubernetes.api.model.PodTemplateBuilder()
            .withNewMetadata().withName("t").endMetadata().withTemplate(t).build()).getTemplate();
        copy.getMetadata().setLabels(labels);
        client.resource(new ReplicaSetBuilder().withNewMetadata().withName(d.getMetadata().getName() + "-" + hash)
            .withNamespace(NS).withLabels(labels).addToAnnotations("deployment.kubernetes.io/revision",
                String.valueOf(revision)).withOwnerReferences(new OwnerReferenceBuilder().withKind("Deployment")
                .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid()).withController(true).build())
            .endMetadata().withNewSpec().withNewSelector().withMatchLabels(labels).endSelector().withTemplate(copy)
            .endSpec().build()).create();
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

  private ApplyGoal deployer() {
    return new ApplyGoal(client, log, ticker, CREATE_OR_UPDATE);
  }

  private ApplyGoal.Summary apply(EffectiveConfig cfg) {
    List<HasMetadata> objects = K8sGoal.run(cfg, dir.resolve("target/devplugin/k8s"), new RecordingLog())
        .objects();
    Secrets secrets = new Secrets(cfg.secrets(), id -> Optional.empty(), n -> null, new Masker());
    return deployer().apply(cfg, objects, secrets, ApplyGoal.Options.of(cfg).withTimeouts(60_000, 60_000, 1000));
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

  @Test
  void aFailedRolloutIsUndoneToThePreviousRevisionWhenAsked() {
    userObjects();
    apply(Fixtures.notes(dir, "staging"));
    EffectiveConfig broken = TestConfig.load(dir, "staging", Fixtures.NOTES.replace("<database>",
        "<image><to>registry.example.com/notes:broken</to></image><database>"));
    List<HasMetadata> objects = K8sGoal.run(broken, dir.resolve("target/devplugin/k8s"),
        new RecordingLog()).objects();
    Secrets secrets = new Secrets(broken.secrets(), id -> Optional.empty(), n -> null, new Masker());
    Throwable t = catchThrowable(() -> deployer().apply(broken, objects, secrets,
        ApplyGoal.Options.of(broken).withUndo(true).withTimeouts(60_000, 60_000, 1000)));
    assertThat(t).isInstanceOf(UserError.class).hasMessageContaining("made no progress within its progress deadline")
        .hasMessageContaining("Rolled back to revision 1");
    Deployment d = client.apps().deployments().inNamespace(NS).withName("notes").get();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("notes:1.0.0");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
    assertThat(log.text()).contains("WARN Rolled Deployment notes back to revision 1");
  }

  @Test
  void aDryRunOfUndeployDeletesNothing() {
    userObjects();
    EffectiveConfig cfg = Fixtures.notes(dir, "staging");
    apply(cfg);
    int before = client.apps().deployments().inNamespace(NS).list().getItems().size();
    UndeployGoal.Summary s = new UndeployGoal(client, log).undeploy(cfg, List.of(), true, true);
    assertThat(s.deleted()).contains("Deployment/notes");
    assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).hasSize(before);
  }
}
