package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code apply}'s waiting: for the migration Job to complete and for the Deployment's rollout (observed generation,
 * updated and available replicas), with progress lines and a timeout. A failure is explained (container states,
 * warning events, the Job's log) and the rollout undone when asked ({@link RolloutUndo}).
 */
final class RolloutWaiter {
  private final KubernetesClient client;
  private final BuildLog log;
  private final Ticker ticker;
  private final ClusterCalls calls;
  private final EffectiveConfig cfg;

  RolloutWaiter(KubernetesClient client, BuildLog log, Ticker ticker, ClusterCalls calls, EffectiveConfig cfg) {
    this.client = client;
    this.log = log;
    this.ticker = ticker;
    this.calls = calls;
    this.cfg = cfg;
  }

  /** Waits for the migration Job {@code name} to complete; a failure or timeout is explained and thrown. */
  void waitForJob(String ns, String name, ApplyGoal.Options options) {
    long start = ticker.millis();
    String last = null;
    log.info("Waiting for migration Job " + name + " (timeout " + options.migrationTimeoutMillis() / 1000 + "s).");
    while (true) {
      Job job = calls.call("read Job " + name, () -> client.batch().v1().jobs().inNamespace(ns).withName(name).get());
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
            + "\nFix: raise " + cfg.where("kubernetes.migrationTimeoutSeconds") + " if the"
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

  /**
   * Waits for the rollout of {@code desired}; a failure or timeout is explained, undone when asked and thrown.
   *
   * @param existedBefore the Deployment had a revision before this apply (so there is one to roll back to)
   */
  void waitForRollout(String ns, Deployment desired, boolean existedBefore, ApplyGoal.Options options) {
    String name = desired.getMetadata().getName();
    long start = ticker.millis();
    String last = null;
    log.info("Waiting for the rollout of Deployment " + name + " (timeout " + options.rolloutTimeoutMillis() / 1000
        + "s).");
    while (true) {
      Deployment d = calls.call("read Deployment " + name,
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
      ApplyGoal.Options options) {
    String name = d.getMetadata().getName();
    Map<String, String> selector = d.getSpec().getSelector() == null || d.getSpec().getSelector().getMatchLabels()
        == null ? Map.of() : d.getSpec().getSelector().getMatchLabels();
    List<String> why = Diagnosis.explain(client, ns, selector, Set.of(name), null);
    String undo;
    if (options.undoOnFailure() && existedBefore) {
      undo = new RolloutUndo(client, log).undo(ns, name);
    } else if (options.undoOnFailure()) {
      undo = "\nNothing to undo: this was the Deployment's first revision.";
    } else {
      undo = "\nThe new pods stay as they are (maxUnavailable 0 keeps the old ones serving). To roll back: kubectl -n "
          + ns + " rollout undo deployment/" + name + ", or apply again with "
          + OverrideProperties.setting("kubernetes.undoOnFailure") + " true.";
    }
    throw new UserError("The rollout of Deployment " + name + " in namespace " + ns + " " + what + ": " + progress
        + "." + lines("\n  ", why) + undo + "\nFix: correct the cause above (or raise "
        + cfg.where("kubernetes.rolloutTimeoutSeconds") + " if the service only starts slowly) and apply again.");
  }

  private void pause(ApplyGoal.Options options) {
    try {
      ticker.sleep(options.pollMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentError("Interrupted while waiting for the cluster.", e);
    }
  }

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
}
