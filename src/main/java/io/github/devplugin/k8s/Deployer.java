package io.github.devplugin.k8s;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.SecretSpec;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code apply} goal's core. Sends the objects of one environment to the cluster with a {@link ResourceWriter}
 * (server-side apply, field manager {@code devplugin}) in dependency order: configuration first, then the migration
 * Job, which must complete before the Deployment changes, then the Deployment, whose rollout it waits for (observed
 * generation, updated and available replicas) with progress lines and a timeout, then the objects that point at the
 * Deployment. A failed Job or rollout is explained (container states, warning events, the Job's log) and, when asked,
 * the Deployment is rolled back to its previous revision. Objects of this service that are no longer generated are
 * pruned at the end. A dry run prints a diff against the live objects (server-side dry run) and changes nothing.
 */
public final class Deployer {
  /**
   * @param dryRun print the diff, change nothing
   * @param prune delete objects of this service that are no longer generated
   * @param pruneVolumes also delete PersistentVolumeClaims that are no longer generated (their data is lost)
   * @param undoOnFailure roll the Deployment back to its previous revision when the rollout fails
   */
  public record Options(boolean dryRun, boolean prune, boolean pruneVolumes, boolean undoOnFailure,
      long rolloutTimeoutMillis, long migrationTimeoutMillis, long pollMillis) {

    public static Options of(EffectiveConfig cfg) {
      return new Options(false, cfg.kubernetes().prune(), false, cfg.kubernetes().undoOnFailure(),
          cfg.kubernetes().rolloutTimeoutSeconds() * 1000L, cfg.kubernetes().migrationTimeoutSeconds() * 1000L, 2000);
    }

    public Options withDryRun(boolean v) {
      return new Options(v, prune, pruneVolumes, undoOnFailure, rolloutTimeoutMillis, migrationTimeoutMillis,
          pollMillis);
    }

    public Options withPrune(boolean v, boolean volumes) {
      return new Options(dryRun, v, volumes, undoOnFailure, rolloutTimeoutMillis, migrationTimeoutMillis, pollMillis);
    }

    public Options withUndo(boolean v) {
      return new Options(dryRun, prune, pruneVolumes, v, rolloutTimeoutMillis, migrationTimeoutMillis, pollMillis);
    }

    public Options withTimeouts(long rolloutMillis, long migrationMillis, long poll) {
      return new Options(dryRun, prune, pruneVolumes, undoOnFailure, rolloutMillis, migrationMillis, poll);
    }
  }

  /** What an apply did. */
  public record Summary(List<String> created, List<String> configured, List<String> unchanged, List<String> pruned,
      List<String> wouldChange) {}

  private final KubernetesClient client;
  private final BuildLog log;
  private final Ticker ticker;
  private final ResourceWriter writer;

  public Deployer(KubernetesClient client, BuildLog log, Ticker ticker, ResourceWriter writer) {
    this.client = client;
    this.log = log;
    this.ticker = ticker;
    this.writer = writer;
  }

  /**
   * Applies {@code objects} (the output of {@code devplugin:k8s} for {@code cfg}'s environment).
   *
   * @param secrets resolves the values of an inline Secret ({@code <kubernetes><inlineSecrets>})
   * @throws UserError when the Secret is missing, the migration Job fails or the rollout fails or times out
   * @throws EnvironmentError when the cluster cannot be reached or refuses a request
   */
  public Summary apply(EffectiveConfig cfg, List<HasMetadata> objects, Secrets secrets, Options options) {
    String ns = cfg.kubernetes().namespace();
    List<HasMetadata> desired = new ArrayList<>(objects);
    if (cfg.kubernetes().inlineSecrets()) {
      desired.add(inlineSecret(cfg, secrets));
    }
    desired.sort(Comparator.comparingInt(Deployer::rank));
    List<String> previousKinds = call("read the ConfigMap of " + cfg.service().name(),
        () -> Inventory.recordedKinds(client, ns, ManifestGenerator.configMapName(cfg)));

    log.info((options.dryRun() ? "Dry run: comparing " : "Applying ") + desired.size() + " objects to namespace "
        + ns + " on " + client.getMasterUrl() + " (server-side apply, field manager "
        + ResourceWriter.FIELD_MANAGER + ").");
    if (!cfg.kubernetes().inlineSecrets()) {
      checkSecret(cfg, options.dryRun());
    }
    Summary summary = new Summary(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>());
    if (options.dryRun()) {
      for (HasMetadata o : desired) {
        diff(o, summary);
      }
      prune(cfg, desired, previousKinds, options, summary);
      log.info("Dry run: " + summary.wouldChange().size() + " of " + desired.size() + " objects would change"
          + (summary.pruned().isEmpty() ? "" : ", " + summary.pruned().size() + " would be pruned")
          + "; nothing was changed.");
      return summary;
    }

    for (HasMetadata o : desired) {
      if (rank(o) < RANK_JOB) {
        write(o, summary);
      }
    }
    for (HasMetadata o : desired) {
      if (o instanceof Job j && rank(o) == RANK_JOB) {
        write(j, summary);
        waitForJob(ns, j.getMetadata().getName(), options);
      }
    }
    Map<String, Deployment> before = new LinkedHashMap<>();
    for (HasMetadata o : desired) {
      if (rank(o) >= RANK_JOB && !(rank(o) == RANK_JOB && o instanceof Job)) {
        if (o instanceof Deployment d) {
          before.put(d.getMetadata().getName(), call("read Deployment " + d.getMetadata().getName(),
              () -> client.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).get()));
        }
        write(o, summary);
      }
    }
    for (HasMetadata o : desired) {
      if (o instanceof Deployment d) {
        waitForRollout(ns, d, before.get(d.getMetadata().getName()) != null, options);
      }
    }
    if (options.prune()) {
      prune(cfg, desired, previousKinds, options, summary);
    } else {
      log.info("Not pruning: prune is off.");
    }
    log.info("Applied " + cfg.service().name() + " " + cfg.service().version() + " to namespace " + ns + ": "
        + summary.created().size() + " created, " + summary.configured().size() + " configured, "
        + summary.unchanged().size() + " unchanged, " + summary.pruned().size() + " pruned.");
    return summary;
  }

  // ---- order

  static final int RANK_JOB = 30;

  /** Namespace, then configuration and storage, then Services, the migration Job, the Deployment, its dependants. */
  static int rank(HasMetadata o) {
    return switch (o.getKind()) {
      case "Namespace" -> 0;
      case "ServiceAccount", "ConfigMap", "Secret", "PersistentVolumeClaim", "Role", "RoleBinding" -> 10;
      case "Service" -> 20;
      case "Job" -> Labels.MIGRATION.equals(ManifestGenerator.labelOf(o, Labels.COMPONENT)) ? RANK_JOB : 50;
      case "Deployment" -> 40;
      case "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress" -> 50;
      default -> 15;
    };
  }

  // ---- writing

  private void write(HasMetadata o, Summary summary) {
    String key = Fragments.key(o);
    HasMetadata live = call("read " + key, () -> client.resource(o).get());
    HasMetadata result = call("apply " + key, () -> writer.write(client, o, false));
    if (live == null) {
      summary.created().add(key);
      log.info("  created    " + key);
    } else if (result != null && Objects.equals(live.getMetadata().getResourceVersion(),
        result.getMetadata().getResourceVersion())) {
      summary.unchanged().add(key);
      log.info("  unchanged  " + key);
    } else {
      summary.configured().add(key);
      log.info("  configured " + key);
    }
  }

  private Secret inlineSecret(EffectiveConfig cfg, Secrets secrets) {
    Map<String, String> data = new TreeMap<>();
    for (SecretSpec s : cfg.secrets()) {
      Optional<String> v = secrets.value(s.name());
      v.ifPresent(value -> data.put(s.key(),
          Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    }
    return new SecretBuilder().withNewMetadata().withName(cfg.kubernetes().secretName())
        .withNamespace(cfg.kubernetes().namespace()).withLabels(Labels.common(cfg)).endMetadata()
        .withType("Opaque").withData(data).build();
  }

  /** Before anything changes: the referenced Secret must exist with every key that is not optional. */
  private void checkSecret(EffectiveConfig cfg, boolean dryRun) {
    Map<String, Boolean> keys = new TreeMap<>();
    for (SecretSpec s : cfg.secrets()) {
      keys.merge(s.key(), s.optional(), (a, b) -> a && b);
    }
    if (cfg.database().enabled() && cfg.database().passwordSecret() == null) {
      keys.put(ManifestGenerator.DEFAULT_DB_PASSWORD_KEY, false);
    }
    if (keys.isEmpty()) {
      return;
    }
    String ns = cfg.kubernetes().namespace();
    String name = cfg.kubernetes().secretName();
    Secret secret = call("read Secret " + name, () -> client.secrets().inNamespace(ns).withName(name).get());
    Set<String> present = new HashSet<>();
    if (secret != null) {
      if (secret.getData() != null) {
        present.addAll(secret.getData().keySet());
      }
      if (secret.getStringData() != null) {
        present.addAll(secret.getStringData().keySet());
      }
    }
    List<String> missing = new ArrayList<>();
    keys.forEach((k, optional) -> {
      if (!optional && !present.contains(k)) {
        missing.add(k);
      }
    });
    if (missing.isEmpty()) {
      return;
    }
    StringBuilder cmd = new StringBuilder("kubectl -n ").append(ns).append(" create secret generic ").append(name);
    for (String k : missing) {
      cmd.append(" --from-literal=").append(k).append("=...");
    }
    String message = (secret == null ? "Secret " + name + " does not exist in namespace " + ns
        : "Secret " + name + " in namespace " + ns + " lacks the key(s) " + String.join(", ", missing))
        + "; the service reads " + String.join(", ", missing) + " from it.";
    String fix = "create it out of band (" + (secret == null ? "kubectl create namespace " + ns + "; " : "")
        + cmd + ", sealed-secrets or an external secret operator), or let apply create it from <secrets> with"
        + " <kubernetes><inlineSecrets>true</inlineSecrets> (not in prod).";
    if (dryRun) {
      log.warn(message + " Fix: " + fix);
      return;
    }
    throw new UserError(message + " Nothing was changed. Fix: " + fix);
  }

  // ---- dry run

  private void diff(HasMetadata o, Summary summary) {
    String key = Fragments.key(o);
    HasMetadata live = call("read " + key, () -> client.resource(o).get());
    HasMetadata predicted;
    try {
      predicted = writer.write(client, o, true);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw new EnvironmentError("The server refused a dry run of " + key + ": " + e.getMessage(), e);
      }
      predicted = o;
    }
    List<String> before = live == null ? List.of() : lines(normalize(live, null));
    List<String> after = lines(normalize(predicted == null ? o : predicted, live));
    if (before.equals(after)) {
      log.info("  unchanged  " + key);
      return;
    }
    summary.wouldChange().add(key);
    List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(live == null ? "/dev/null" : "live/" + key,
        "desired/" + key, before, DiffUtils.diff(before, after), 3);
    log.info("  " + (live == null ? "would create " : "would change ") + key + ":");
    for (String line : diff) {
      log.info("    " + line);
    }
  }

  /** The fields worth comparing: no server bookkeeping, no status, Secret values replaced by markers. */
  static String normalize(HasMetadata o, HasMetadata live) {
    ObjectNode tree = K8sYaml.tree(o);
    tree.remove("status");
    if (tree.get("metadata") instanceof ObjectNode m) {
      m.remove(List.of("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"));
      if (m.get("annotations") instanceof ObjectNode a) {
        a.remove(List.of("deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration"));
        if (a.isEmpty()) {
          m.remove("annotations");
        }
      }
    }
    if (o instanceof Secret) {
      Map<String, String> liveData = live instanceof Secret s && s.getData() != null ? s.getData() : Map.of();
      for (String field : List.of("data", "stringData")) {
        if (tree.get(field) instanceof ObjectNode d) {
          for (String k : new ArrayList<>(d.propertyNames())) {
            JsonNode v = d.get(k);
            boolean same = live == null || Objects.equals(liveData.get(k), v.asString());
            d.put(k, same && live != null ? "(hidden)" : live == null ? "(hidden)" : "(hidden, changed)");
          }
        }
      }
    }
    return K8sYaml.write(tree);
  }

  private static List<String> lines(String text) {
    return List.of(text.split("\n"));
  }

  // ---- waiting

  private void waitForJob(String ns, String name, Options options) {
    long start = ticker.millis();
    String last = null;
    log.info("Waiting for migration Job " + name + " (timeout " + options.migrationTimeoutMillis() / 1000 + "s).");
    while (true) {
      Job job = call("read Job " + name, () -> client.batch().v1().jobs().inNamespace(ns).withName(name).get());
      if (job == null) {
        throw new UserError("Migration Job " + name + " disappeared from namespace " + ns + " while it ran."
            + " Fix: check who deletes it (a TTL controller, another deploy) and apply again.");
      }
      JobStatus st = job.getStatus();
      JobCondition failed = jobCondition(st, "Failed");
      if (jobCondition(st, "Complete") != null || jobCondition(st, "SuccessCriteriaMet") != null) {
        log.info("Migration Job " + name + " completed.");
        return;
      }
      if (failed != null) {
        List<String> why = Diagnosis.explain(client, ns, Map.of("job-name", name), Set.of(name), "migrate");
        throw new UserError("Migration Job " + name + " failed: " + failed.getReason()
            + (failed.getMessage() == null ? "" : " (" + failed.getMessage() + ")") + ". The Deployment was not"
            + " changed; the previous version keeps running." + lines("\n  ", why) + "\nFix: correct the migration"
            + " (its log is above) and build again; the new Job gets a new name. To retry the same Job, delete it:"
            + " kubectl -n " + ns + " delete job " + name + ".");
      }
      String progress = st == null ? "pending" : "active " + zero(st.getActive()) + ", succeeded "
          + zero(st.getSucceeded()) + ", failed " + zero(st.getFailed());
      if (!progress.equals(last)) {
        log.info("  migration " + name + ": " + progress);
        last = progress;
      }
      if (ticker.millis() - start >= options.migrationTimeoutMillis()) {
        List<String> why = Diagnosis.explain(client, ns, Map.of("job-name", name), Set.of(name), "migrate");
        throw new UserError("Migration Job " + name + " did not finish within " + options.migrationTimeoutMillis()
            / 1000 + "s (" + progress + "). The Deployment was not changed." + lines("\n  ", why)
            + "\nFix: raise <kubernetes><migrationTimeoutSeconds> (or -Ddevplugin.apply.migrationTimeout) if the"
            + " migration is slow, or fix what keeps the pod from running.");
      }
      pause(options);
    }
  }

  private static JobCondition jobCondition(JobStatus st, String type) {
    if (st == null || st.getConditions() == null) {
      return null;
    }
    for (JobCondition c : st.getConditions()) {
      if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
        return c;
      }
    }
    return null;
  }

  private void waitForRollout(String ns, Deployment desired, boolean existedBefore, Options options) {
    String name = desired.getMetadata().getName();
    long start = ticker.millis();
    String last = null;
    log.info("Waiting for the rollout of Deployment " + name + " (timeout " + options.rolloutTimeoutMillis() / 1000
        + "s).");
    while (true) {
      Deployment d = call("read Deployment " + name,
          () -> client.apps().deployments().inNamespace(ns).withName(name).get());
      if (d == null) {
        throw new UserError("Deployment " + name + " disappeared from namespace " + ns + " during its rollout.");
      }
      DeploymentStatus st = d.getStatus();
      long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
      boolean observed = st != null && st.getObservedGeneration() != null && st.getObservedGeneration() >= generation;
      int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      int updated = st == null ? 0 : zero(st.getUpdatedReplicas());
      int total = st == null ? 0 : zero(st.getReplicas());
      int available = st == null ? 0 : zero(st.getAvailableReplicas());
      String progress = observed ? updated + " of " + want + " updated, " + available + " available"
          + (total > updated ? ", " + (total - updated) + " old replica(s) terminating" : "")
          : "waiting for the controller to see generation " + generation;
      if (!progress.equals(last)) {
        log.info("  rollout " + name + ": " + progress);
        last = progress;
      }
      if (observed && updated >= want && total <= updated && available >= want) {
        log.info("Deployment " + name + " rolled out: " + available + " of " + want + " replicas available.");
        return;
      }
      DeploymentCondition stuck = null;
      if (observed && st.getConditions() != null) {
        for (DeploymentCondition c : st.getConditions()) {
          if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
            stuck = c;
          }
        }
      }
      boolean timedOut = ticker.millis() - start >= options.rolloutTimeoutMillis();
      if (stuck != null || timedOut) {
        rolloutFailed(ns, d, stuck != null ? "made no progress within its progress deadline ("
            + Objects.toString(stuck.getMessage(), "ProgressDeadlineExceeded") + ")"
            : "did not finish within " + options.rolloutTimeoutMillis() / 1000 + "s", progress, existedBefore,
            options);
      }
      pause(options);
    }
  }

  private void rolloutFailed(String ns, Deployment d, String what, String progress, boolean existedBefore,
      Options options) {
    String name = d.getMetadata().getName();
    Map<String, String> selector = d.getSpec().getSelector() == null || d.getSpec().getSelector().getMatchLabels()
        == null ? Map.of() : d.getSpec().getSelector().getMatchLabels();
    List<String> why = Diagnosis.explain(client, ns, selector, Set.of(name), null);
    String undo;
    if (options.undoOnFailure() && existedBefore) {
      undo = undo(ns, name);
    } else if (options.undoOnFailure()) {
      undo = "\nNothing to undo: this was the Deployment's first revision.";
    } else {
      undo = "\nThe new pods stay as they are (maxUnavailable 0 keeps the old ones serving). To roll back: kubectl -n "
          + ns + " rollout undo deployment/" + name + ", or apply again with -Ddevplugin.apply.undo=true.";
    }
    throw new UserError("The rollout of Deployment " + name + " in namespace " + ns + " " + what + ": " + progress
        + "." + lines("\n  ", why) + undo + "\nFix: correct the cause above (or raise <kubernetes>"
        + "<rolloutTimeoutSeconds> / -Ddevplugin.apply.timeout if the service only starts slowly) and apply again.");
  }

  /**
   * Rolls the Deployment back to the pod template of its previous ReplicaSet, as {@code kubectl rollout undo} does
   * (fabric8's own {@code undo()} keeps the {@code pod-template-hash} label and fails with a single revision).
   */
  String undo(String ns, String name) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    List<ReplicaSet> owned = new ArrayList<>();
    for (ReplicaSet rs : client.apps().replicaSets().inNamespace(ns)
        .withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems()) {
      boolean ownedByD = rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences()
          .stream().anyMatch(r -> Objects.equals(r.getUid(), d.getMetadata().getUid()));
      if (ownedByD && revision(rs) > 0) {
        owned.add(rs);
      }
    }
    owned.sort(Comparator.comparingLong(Deployer::revision).reversed());
    long current = revision(d);
    ReplicaSet previous = owned.stream().filter(rs -> revision(rs) < (current > 0 ? current : revision(owned.get(0))))
        .findFirst().orElse(null);
    if (previous == null) {
      return "\nNo previous revision to roll back to (only " + owned.size() + " ReplicaSet(s) of " + name + ").";
    }
    PodTemplateSpec template = K8sYaml.copy(new io.fabric8.kubernetes.api.model.PodTemplateBuilder()
        .withMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("t").build())
        .withTemplate(previous.getSpec().getTemplate()).build()).getTemplate();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      Map<String, String> labels = new TreeMap<>(template.getMetadata().getLabels());
      labels.remove("pod-template-hash");
      template.getMetadata().setLabels(labels);
    }
    client.apps().deployments().inNamespace(ns).withName(name).edit(dep -> {
      dep.getSpec().setTemplate(template);
      return dep;
    });
    log.warn("Rolled Deployment " + name + " back to revision " + revision(previous) + " (ReplicaSet "
        + previous.getMetadata().getName() + ").");
    return "\nRolled back to revision " + revision(previous) + " (ReplicaSet " + previous.getMetadata().getName()
        + "); the previous version's pods are being restored.";
  }

  private static long revision(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    String r = a == null ? null : a.get("deployment.kubernetes.io/revision");
    try {
      return r == null ? 0 : Long.parseLong(r);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void pause(Options options) {
    try {
      ticker.sleep(options.pollMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentError("Interrupted while waiting for the cluster.", e);
    }
  }

  // ---- pruning

  private void prune(EffectiveConfig cfg, List<HasMetadata> desired, List<String> previousKinds, Options options,
      Summary summary) {
    String ns = cfg.kubernetes().namespace();
    Set<String> keep = new TreeSet<>();
    desired.forEach(o -> keep.add(Fragments.key(o)));
    for (String kind : Inventory.kinds(previousKinds, desired)) {
      for (HasMetadata live : Inventory.list(client, ns, kind, Labels.ownership(cfg), log)) {
        String key = Fragments.key(live);
        if (keep.contains(key)) {
          continue;
        }
        if ("PersistentVolumeClaim".equals(live.getKind()) && !options.pruneVolumes()) {
          log.warn("Kept " + key + ": it is no longer generated, but deleting it deletes its data. Delete it with"
              + " kubectl -n " + ns + " delete pvc " + live.getMetadata().getName()
              + ", or apply with -Ddevplugin.apply.pruneVolumes=true.");
          continue;
        }
        summary.pruned().add(key);
        if (options.dryRun()) {
          log.info("  would prune " + key + " (no longer generated)");
          continue;
        }
        call("delete " + key, () -> client.resource(live).withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete());
        log.info("  pruned     " + key + " (no longer generated)");
      }
    }
  }

  // ---- helpers

  private static int zero(Integer i) {
    return i == null ? 0 : i;
  }

  private static String lines(String prefix, List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(prefix).append(l);
    }
    return sb.toString();
  }

  /** Runs a cluster call, turning client failures into errors that say what was being done. */
  <T> T call(String what, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 401 || e.getCode() == 403) {
        throw new EnvironmentError("The cluster refused to " + what + " (HTTP " + e.getCode() + "): "
            + e.getMessage() + ". Fix: check the credentials of the kubeconfig context (<kubernetes><context>) and"
            + " that they may manage this namespace.", e);
      }
      if (e.getCode() == 422 || e.getCode() == 400) {
        throw new UserError("The cluster rejected " + what + ": " + e.getMessage() + ". Fix: correct the object"
            + " (target/devplugin/k8s) or the fragment that changed it.", e);
      }
      throw new EnvironmentError("Cannot " + what + " on " + client.getMasterUrl() + ": " + e.getMessage()
          + ". Fix: check that the cluster is reachable with the kubeconfig context in use.", e);
    }
  }
}
