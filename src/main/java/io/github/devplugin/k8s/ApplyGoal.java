package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
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

/**
 * The {@code apply} goal's core. Sends the objects of one environment to the cluster with a {@link ResourceWriter}
 * (server-side apply, field manager {@code devplugin}) in dependency order: configuration first, then the migration
 * Job, which must complete before the Deployment changes, then the Deployment, whose rollout it waits for (observed
 * generation, updated and available replicas) with progress lines and a timeout, then the objects that point at the
 * Deployment. Waiting, explaining and undoing a failed Job or rollout is
 * {@link RolloutWaiter}'s (and {@link RolloutUndo}'s) job. Objects of this service that are no longer generated are
 * pruned at the end. A dry run prints a diff against the live objects ({@link DryRunDiff}) and changes
 * nothing.
 */
public final class ApplyGoal {
  /** The goal-only flag that lets prune delete PersistentVolumeClaims (no configuration key: it deletes data). */
  public static final String PRUNE_VOLUMES_FLAG = "-Ddevplugin.apply.pruneVolumes=true";

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
  private final ClusterCalls calls;

  public ApplyGoal(KubernetesClient client, BuildLog log, Ticker ticker, ResourceWriter writer) {
    this.client = client;
    this.calls = new ClusterCalls(client);
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
    desired.sort(Comparator.comparingInt(ApplyGoal::rank));
    List<String> previousKinds = calls.call("read the ConfigMap of " + cfg.service().name(),
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
      DryRunDiff diff = new DryRunDiff(client, writer, log, calls);
      for (HasMetadata o : desired) {
        diff.diff(o, summary);
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
    RolloutWaiter waiter = new RolloutWaiter(client, log, ticker, calls, cfg);
    for (HasMetadata o : desired) {
      if (o instanceof Job j && rank(o) == RANK_JOB) {
        write(j, summary);
        waiter.waitForJob(ns, j.getMetadata().getName(), options);
      }
    }
    Map<String, Deployment> before = new LinkedHashMap<>();
    for (HasMetadata o : desired) {
      if (rank(o) >= RANK_JOB && !(rank(o) == RANK_JOB && o instanceof Job)) {
        if (o instanceof Deployment d) {
          before.put(d.getMetadata().getName(), calls.call("read Deployment " + d.getMetadata().getName(),
              () -> client.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).get()));
        }
        write(o, summary);
      }
    }
    for (HasMetadata o : desired) {
      if (o instanceof Deployment d) {
        waiter.waitForRollout(ns, d, before.get(d.getMetadata().getName()) != null, options);
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
    HasMetadata live = calls.call("read " + key, () -> client.resource(o).get());
    HasMetadata result = calls.call("apply " + key, () -> writer.write(client, o, false));
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
    Secret secret = calls.call("read Secret " + name, () -> client.secrets().inNamespace(ns).withName(name).get());
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
              + ", or apply with " + PRUNE_VOLUMES_FLAG + ".");
          continue;
        }
        summary.pruned().add(key);
        if (options.dryRun()) {
          log.info("  would prune " + key + " (no longer generated)");
          continue;
        }
        calls.call("delete " + key, () -> client.resource(live).withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete());
        log.info("  pruned     " + key + " (no longer generated)");
      }
    }
  }
}
