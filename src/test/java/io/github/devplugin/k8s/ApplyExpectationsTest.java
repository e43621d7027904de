package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventListBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.net.URLEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply} against the fabric8 mock server in expectations mode: the exact server-side-apply requests, and the
 * status progressions of the migration Job and the rollout (success, timeout, failure) served one response at a time.
 */
class ApplyExpectationsTest {
  static final String NS = "notes-dev";
  @TempDir Path dir;
  KubernetesMockServer server;
  KubernetesClient client;
  EffectiveConfig cfg;
  List<HasMetadata> objects;
  RecordingLog log = new RecordingLog();
  FakeTicker ticker = new FakeTicker();

  @BeforeAll
  static void quiet() {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
  }

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
    Fixtures.project(dir);
    cfg = Fixtures.notes(dir, "dev");
    objects = K8sGoal.run(cfg, dir.resolve("target/devplugin/k8s"), new RecordingLog()).objects();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private ApplyGoal deployer() {
    return new ApplyGoal(client, log, ticker, ResourceWriter.serverSideApply());
  }

  private ApplyGoal.Options options() {
    return ApplyGoal.Options.of(cfg).withTimeouts(20_000, 10_000, 2_000);
  }

  private Secrets secrets() {
    return new Secrets(cfg.secrets(), id -> Optional.empty(), name -> null, new Masker());
  }

  static String path(HasMetadata o) {
    String plural = o.getPlural();
    String api = o.getApiVersion().contains("/") ? "/apis/" + o.getApiVersion() : "/api/" + o.getApiVersion();
    String ns = o instanceof Namespaced ? "/namespaces/" + o.getMetadata().getNamespace() : "";
    return api + ns + "/" + plural + "/" + o.getMetadata().getName();
  }

  private <T extends HasMetadata> T stored(T o, String rv) {
    T copy = K8sYaml.copy(o);
    copy.getMetadata().setResourceVersion(rv);
    copy.getMetadata().setGeneration(2L);
    return copy;
  }

  private Job job() {
    return (Job) objects.stream().filter(o -> o instanceof Job).findFirst().orElseThrow();
  }

  private Deployment deployment() {
    return (Deployment) objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
  }

  /** The referenced Secret exists, every object is new and accepted by server-side apply. */
  private void expectApplies() {
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/notes-secrets")
        .andReturn(200, new SecretBuilder().withNewMetadata().withName("notes-secrets").withNamespace(NS)
            .endMetadata().addToData("database-password", "eA==").build()).always();
    for (HasMetadata o : objects) {
      server.expect().patch().withPath(path(o) + "?fieldManager=devplugin&force=true")
          .andReturn(200, stored(o, "1")).once();
    }
  }

  private Job jobWith(JobStatusBuilder status) {
    return new JobBuilder(stored(job(), "1")).withStatus(status.build()).build();
  }

  private static JobStatusBuilder jobCondition(String type, String reason, String message) {
    return new JobStatusBuilder().addNewCondition().withType(type).withStatus("True").withReason(reason)
        .withMessage(message).endCondition();
  }

  private Deployment deploymentWith(long observed, int updated, int available, int total) {
    return new DeploymentBuilder(stored(deployment(), "1")).withStatus(new DeploymentStatusBuilder()
        .withObservedGeneration(observed).withUpdatedReplicas(updated).withAvailableReplicas(available)
        .withReplicas(total).build()).build();
  }

  private List<RecordedRequest> requests() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  @Test
  void serverSideApplyRequestsInDependencyOrderThenJobThenRollout() throws Exception {
    expectApplies();
    server.expect().get().withPath(path(job())).andReturn(200, jobWith(new JobStatusBuilder().withActive(1))).once();
    server.expect().get().withPath(path(job())).andReturn(200, jobWith(jobCondition("Complete", null, null)
        .withSucceeded(1))).always();
    server.expect().get().withPath(path(deployment())).andReturn(404, null).times(2);
    server.expect().get().withPath(path(deployment())).andReturn(200, deploymentWith(1, 0, 0, 0)).once();
    server.expect().get().withPath(path(deployment())).andReturn(200, deploymentWith(2, 1, 0, 1)).once();
    server.expect().get().withPath(path(deployment())).andReturn(200, deploymentWith(2, 1, 1, 1)).always();

    ApplyGoal.Summary s = deployer().apply(cfg, objects, secrets(), options());

    List<RecordedRequest> patches = requests().stream().filter(r -> r.getMethod().equals("PATCH")).toList();
    assertThat(patches).hasSize(objects.size());
    for (RecordedRequest r : patches) {
      assertThat(r.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
      assertThat(r.getPath()).endsWith("?fieldManager=devplugin&force=true");
    }
    assertThat(patches).extracting(RecordedRequest::getPath).extracting(p -> p.replaceAll("\\?.*", ""))
        .containsExactly(objects.stream().map(ApplyExpectationsTest::path).toArray(String[]::new));
    HasMetadata sentDeployment = K8sYaml.typed((tools.jackson.databind.node.ObjectNode) K8sYaml.yamlMapper()
        .readTree(patches.get(patches.size() - 1).getBody().readUtf8()));
    assertThat(K8sYaml.write(sentDeployment)).isEqualTo(K8sYaml.write(deployment()));
    assertThat(s.created()).contains("Namespace/notes-dev", "ConfigMap/notes-config", "Service/notes");
    assertThat(s.created().size() + s.configured().size() + s.unchanged().size()).isEqualTo(objects.size());
    String text = log.text();
    int deploymentWritten = -1;
    int jobDone = -1;
    for (int i = 0; i < log.lines.size(); i++) {
      if (log.lines.get(i).matches("INFO {3}(created|configured|unchanged) +Deployment/notes")) {
        deploymentWritten = i;
      }
      if (log.lines.get(i).equals("INFO Migration Job " + job().getMetadata().getName() + " completed.")) {
        jobDone = i;
      }
    }
    assertThat(jobDone).isNotNegative().isLessThan(deploymentWritten);
    assertThat(text).contains("rollout notes: waiting for the controller to see generation 2")
        .contains("rollout notes: 1 of 1 updated, 0 available")
        .contains("Deployment notes rolled out: 1 of 1 replicas available.");
  }

  @Test
  void aFailedMigrationStopsBeforeTheDeploymentAndShowsWhy() throws Exception {
    expectApplies();
    String jobName = job().getMetadata().getName();
    server.expect().get().withPath(path(job())).andReturn(200, jobWith(jobCondition("Failed",
        "BackoffLimitExceeded", "Job has reached the specified backoff limit"))).always();
    String pods = "/api/v1/namespaces/" + NS + "/pods?labelSelector="
        + URLEncoder.encode("job-name=" + jobName, StandardCharsets.UTF_8);
    server.expect().get().withPath(pods).andReturn(200, new PodListBuilder().addToItems(new PodBuilder()
        .withNewMetadata().withName(jobName + "-x1").endMetadata().withNewStatus().withPhase("Failed")
        .withContainerStatuses(new ContainerStatusBuilder().withName("migrate").withNewState().withNewTerminated()
            .withReason("Error").withExitCode(1).endTerminated().endState().build()).endStatus().build()).build())
        .always();
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/events").andReturn(200, new EventListBuilder()
        .addToItems(new EventBuilder().withNewMetadata().withName("e1").endMetadata().withType("Warning")
            .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
            .withNewInvolvedObject().withKind("Job").withName(jobName).endInvolvedObject().build()).build())
        .always();
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + jobName
        + "-x1/log?pretty=false&container=migrate&tailLines=20")
        .andReturn(200, "Migrating schema to version 2\nERROR: column \"created_at\" already exists\n").always();

    Throwable t = catchThrowable(() -> deployer().apply(cfg, objects, secrets(), options()));

    assertThat(t).isInstanceOf(UserError.class).hasMessageContaining("Migration Job " + jobName
        + " failed: BackoffLimitExceeded (Job has reached the specified backoff limit). The Deployment was not changed")
        .hasMessageContaining("container migrate: terminated, Error (exit code 1)")
        .hasMessageContaining("event Warning BackoffLimitExceeded job/" + jobName)
        .hasMessageContaining("| ERROR: column \"created_at\" already exists");
    assertThat(requests()).noneMatch(r -> r.getMethod().equals("PATCH") && r.getPath().contains("/deployments/"));
  }

  @Test
  void aMigrationThatNeverFinishesTimesOut() throws Exception {
    expectApplies();
    server.expect().get().withPath(path(job())).andReturn(200, jobWith(new JobStatusBuilder().withActive(1)))
        .always();
    Throwable t = catchThrowable(() -> deployer().apply(cfg, objects, secrets(), options()));
    assertThat(t).isInstanceOf(UserError.class).hasMessageContaining("did not finish within 10s (active 1, succeeded 0,"
        + " failed 0). The Deployment was not changed.").hasMessageContaining("<kubernetes><migrationTimeoutSeconds>");
    assertThat(ticker.sleeps).isEqualTo(5);
    assertThat(requests()).noneMatch(r -> r.getMethod().equals("PATCH") && r.getPath().contains("/deployments/"));
  }

  private void expectCompletedJob() {
    server.expect().get().withPath(path(job())).andReturn(200, jobWith(jobCondition("Complete", null, null)))
        .always();
  }

  @Test
  void aStuckRolloutFailsWithContainerStatesAndEvents() {
    expectApplies();
    expectCompletedJob();
    Deployment stuck = deploymentWith(2, 1, 0, 2);
    stuck.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder()
        .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
        .withMessage("ReplicaSet \"notes-5d4\" has timed out progressing.").build()));
    server.expect().get().withPath(path(deployment())).andReturn(200, stuck).always();
    String pods = "/api/v1/namespaces/" + NS + "/pods?labelSelector=" + URLEncoder.encode(
        "app.kubernetes.io/component=server,app.kubernetes.io/instance=notes-dev,app.kubernetes.io/name=notes",
        StandardCharsets.UTF_8);
    server.expect().get().withPath(pods).andReturn(200, new PodListBuilder().addToItems(new PodBuilder()
        .withNewMetadata().withName("notes-5d4-abc").endMetadata().withNewStatus().withPhase("Running")
        .withContainerStatuses(new ContainerStatusBuilder().withName("notes").withRestartCount(4).withNewState()
            .withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 1m20s restarting failed container")
            .endWaiting().endState().withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
            .endTerminated().endLastState().build()).endStatus().build()).build()).always();
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/events").andReturn(200, new EventListBuilder()
        .addToItems(new EventBuilder().withNewMetadata().withName("e").endMetadata().withType("Warning")
            .withReason("BackOff").withMessage("Back-off restarting failed container").withCount(7)
            .withNewInvolvedObject().withKind("Pod").withName("notes-5d4-abc").endInvolvedObject().build()).build())
        .always();

    Throwable t = catchThrowable(() -> deployer().apply(cfg, objects, secrets(), options()));

    assertThat(t).isInstanceOf(UserError.class)
        .hasMessageContaining("The rollout of Deployment notes in namespace notes-dev made no progress within its"
            + " progress deadline")
        .hasMessageContaining("container notes: waiting, CrashLoopBackOff (back-off 1m20s restarting failed"
            + " container); restarted 4 times, last terminated, OOMKilled (exit code 137)")
        .hasMessageContaining("raise <service><resources><limits><memory>")
        .hasMessageContaining("event Warning BackOff pod/notes-5d4-abc: Back-off restarting failed container (x7)")
        .hasMessageContaining("kubectl -n notes-dev rollout undo deployment/notes");
  }

  @Test
  void aSlowRolloutTimesOut() {
    expectApplies();
    expectCompletedJob();
    server.expect().get().withPath(path(deployment())).andReturn(200, deploymentWith(2, 1, 0, 2)).always();
    Throwable t = catchThrowable(() -> deployer().apply(cfg, objects, secrets(), options()));
    assertThat(t).isInstanceOf(UserError.class).hasMessageContaining("did not finish within 20s: 1 of 1 updated, 0"
        + " available, 1 old replica(s) terminating.").hasMessageContaining("-Ddevplugin.apply.timeout");
    assertThat(ticker.sleeps).isEqualTo(10);
    assertThat(log.text()).contains("rollout notes: 1 of 1 updated, 0 available, 1 old replica(s) terminating");
  }

  @Test
  void aDryRunShowsTheDiffAndChangesNothing() throws Exception {
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/notes-secrets").andReturn(404, null)
        .always();
    io.fabric8.kubernetes.api.model.ConfigMap liveCm = (io.fabric8.kubernetes.api.model.ConfigMap) stored(
        objects.stream().filter(o -> o.getKind().equals("ConfigMap")).findFirst().orElseThrow(), "7");
    liveCm.getData().put("LOG_LEVEL", "debug");
    liveCm.getMetadata().setManagedFields(List.of(new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder()
        .withManager("devplugin").build()));
    server.expect().get().withPath(path(liveCm)).andReturn(200, liveCm).always();
    for (HasMetadata o : objects) {
      server.expect().patch().withPath(path(o) + "?dryRun=All&fieldManager=devplugin&force=true")
          .andReturn(200, stored(o, "7")).once();
    }
    ApplyGoal.Summary s = deployer().apply(cfg, objects, secrets(), options().withDryRun(true));
    List<RecordedRequest> all = requests();
    assertThat(all).filteredOn(r -> r.getMethod().equals("PATCH")).hasSize(objects.size())
        .allMatch(r -> r.getPath().contains("dryRun=All"));
    assertThat(all).noneMatch(r -> r.getMethod().equals("DELETE") || r.getMethod().equals("POST")
        || r.getMethod().equals("PUT"));
    assertThat(s.wouldChange()).contains("ConfigMap/notes-config", "Deployment/notes");
    assertThat(log.text()).contains("would change ConfigMap/notes-config:").contains("-  LOG_LEVEL: debug")
        .contains("+  LOG_LEVEL: info").contains("would create Deployment/notes:")
        .contains("Secret notes-secrets does not exist in namespace notes-dev")
        .contains("nothing was changed");
    assertThat(log.text()).doesNotContain("managedFields");
  }

  @Test
  void aMissingSecretStopsBeforeAnyChange() throws Exception {
    Throwable t = catchThrowable(() -> deployer().apply(cfg, objects, secrets(), options()));
    assertThat(t).isInstanceOf(UserError.class).hasMessageContaining("Secret notes-secrets does not exist in"
        + " namespace notes-dev; the service reads database-password from it. Nothing was changed.")
        .hasMessageContaining("kubectl -n notes-dev create secret generic notes-secrets"
            + " --from-literal=database-password=...");
    assertThat(requests()).allMatch(r -> r.getMethod().equals("GET"));
  }

  static final String VALUE = "s3cr3t-pw-4711";

  /** The value as it would appear: plain, and base64 as in a Secret's data. */
  static List<String> forms(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return List.of(value, Base64.getEncoder().encodeToString(bytes),
        Base64.getEncoder().withoutPadding().encodeToString(bytes));
  }

  /** Every file under {@code root} whose content holds the value in any form. */
  static List<String> filesHolding(Path root, String value) throws IOException {
    List<String> out = new ArrayList<>();
    try (var files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (forms(value).stream().anyMatch(text::contains)) {
          out.add(root.relativize(f).toString());
        }
      }
    }
    return out;
  }

  private void expectEverythingAccepted(List<HasMetadata> objs) {
    for (HasMetadata o : objs) {
      server.expect().patch().withPath(path(o) + "?fieldManager=devplugin&force=true").andReturn(200, stored(o, "1"))
          .once();
    }
    expectCompletedJob();
    server.expect().get().withPath(path(deployment())).andReturn(200, deploymentWith(2, 1, 1, 1)).always();
  }

  /** The PATCH bodies by path (without the query). */
  private Map<String, String> patchBodies() throws InterruptedException {
    Map<String, String> out = new java.util.TreeMap<>();
    for (RecordedRequest r : requests()) {
      if (r.getMethod().equals("PATCH")) {
        out.put(r.getPath().replaceAll("\\?.*", ""), r.getBody().readUtf8());
      }
    }
    return out;
  }

  @Test
  void inlineSecretsAreSentOnlyInTheSecretAndNeverWrittenOrLogged() throws Exception {
    EffectiveConfig inline = TestConfig.load(dir, "dev", Fixtures.NOTES.replace("<dev><kubernetes>",
        "<dev><kubernetes><inlineSecrets>true</inlineSecrets>"));
    Masker masker = new Masker();
    Secrets resolver = new Secrets(inline.secrets(), id -> Optional.empty(),
        Map.of("NOTES_DB_PASSWORD", VALUE)::get, masker);
    List<HasMetadata> objs = K8sGoal.run(inline, dir.resolve("target/devplugin/k8s"), new RecordingLog()).objects();
    objects = objs;
    cfg = inline;
    expectEverythingAccepted(objs);
    String secretPath = "/api/v1/namespaces/" + NS + "/secrets/notes-secrets";
    server.expect().patch().withPath(secretPath + "?fieldManager=devplugin&force=true").andReturn(200,
        new SecretBuilder().withNewMetadata().withName("notes-secrets").withResourceVersion("1").endMetadata()
            .build()).once();

    deployer().apply(inline, objs, resolver, options());

    Map<String, String> bodies = patchBodies();
    assertThat(bodies).hasSize(objs.size() + 1);
    assertThat(bodies.get(secretPath)).contains("\"database-password\":\"" + forms(VALUE).get(1) + "\"")
        .contains("\"app.kubernetes.io/managed-by\":\"devplugin\"").doesNotContain(VALUE);
    bodies.forEach((p, body) -> {
      if (!p.equals(secretPath)) {
        assertThat(forms(VALUE)).as("the value in any form in " + p).noneMatch(body::contains);
      }
    });
    assertThat(filesHolding(dir, VALUE)).as("files holding the value, plain or base64").isEmpty();
    assertThat(forms(VALUE)).as("the value in any form in the log").noneMatch(log.text()::contains);
    assertThat(log.text()).contains("created    Secret/notes-secrets");
  }

  @Test
  void withoutInlineSecretsTheValueIsSentNowhere() throws Exception {
    Masker masker = new Masker();
    Secrets resolver = new Secrets(cfg.secrets(), id -> Optional.empty(), Map.of("NOTES_DB_PASSWORD", VALUE)::get,
        masker);
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/notes-secrets")
        .andReturn(200, new SecretBuilder().withNewMetadata().withName("notes-secrets").withNamespace(NS)
            .endMetadata().addToData("database-password", "eA==").build()).always();
    expectEverythingAccepted(objects);

    deployer().apply(cfg, objects, resolver, options());

    Map<String, String> bodies = patchBodies();
    assertThat(bodies).hasSize(objects.size()).doesNotContainKey("/api/v1/namespaces/" + NS
        + "/secrets/notes-secrets");
    bodies.forEach((p, body) -> assertThat(forms(VALUE)).as("the value in any form in " + p)
        .noneMatch(body::contains));
    assertThat(filesHolding(dir, VALUE)).isEmpty();
    assertThat(forms(VALUE)).noneMatch(log.text()::contains);
  }

  @Test
  void anInlineSecretWithoutAValueIsRefusedBeforeAnyChange() throws Exception {
    EffectiveConfig inline = TestConfig.load(dir, "dev", Fixtures.NOTES.replace("<dev><kubernetes>",
        "<dev><kubernetes><inlineSecrets>true</inlineSecrets>"));
    Secrets resolver = new Secrets(inline.secrets(), id -> Optional.empty(), name -> null, new Masker());
    List<HasMetadata> objs = K8sGoal.run(inline, dir.resolve("target/devplugin/k8s"), new RecordingLog()).objects();

    Throwable t = catchThrowable(() -> deployer().apply(inline, objs, resolver, options()));

    assertThat(t).isInstanceOf(UserError.class).hasMessage("Secret 'DATABASE_PASSWORD' has no value: the environment"
        + " variable NOTES_DB_PASSWORD is not set. Fix: export NOTES_DB_PASSWORD before running Maven (in CI, from"
        + " the pipeline's secret store).");
    assertThat(requests()).isEmpty();
  }

  @Test
  void aSecretLackingADeclaredKeyIsRefusedBeforeAnyChange() throws Exception {
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/notes-secrets")
        .andReturn(200, new SecretBuilder().withNewMetadata().withName("notes-secrets").withNamespace(NS)
            .endMetadata().addToData("other-key", "eA==").build()).always();
    Throwable t = catchThrowable(() -> deployer().apply(cfg, objects, secrets(), options()));
    assertThat(t).isInstanceOf(UserError.class).hasMessage("Secret notes-secrets in namespace notes-dev lacks the"
        + " key(s) database-password; the service reads database-password from it. Nothing was changed. Fix: create"
        + " it out of band (kubectl -n notes-dev create secret generic notes-secrets"
        + " --from-literal=database-password=..., sealed-secrets or an external secret operator), or let apply"
        + " create it from <secrets> with <kubernetes><inlineSecrets>true</inlineSecrets> (not in prod).");
    assertThat(requests()).allMatch(r -> r.getMethod().equals("GET"));
  }
}
