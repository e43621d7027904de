package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code undeploy} goal's core: deletes every object this plugin created for the service in the environment
 * (found by the {@code managed-by} and {@code instance} labels, across the kinds the last apply recorded), and the
 * namespace only when the plugin created it and nothing else lives in it. Objects without these labels (a Secret
 * created out of band, another team's service in a shared namespace) are never touched.
 */
public final class UndeployGoal {
  /** Kinds checked for objects that are not ours before a namespace is deleted. */
  static final List<String> FOREIGN_KINDS = List.of("v1/Pod", "v1/ConfigMap", "v1/Secret", "v1/Service",
      "v1/PersistentVolumeClaim", "v1/ServiceAccount", "apps/v1/Deployment", "apps/v1/StatefulSet",
      "apps/v1/DaemonSet", "batch/v1/Job", "batch/v1/CronJob");

  /** What an undeploy removed and kept. */
  public record Summary(List<String> deleted, List<String> kept, boolean namespaceDeleted) {}

  private final KubernetesClient client;
  private final BuildLog log;

  public UndeployGoal(KubernetesClient client, BuildLog log) {
    this.client = client;
    this.log = log;
  }

  /**
   * @param current the objects generated now (their kinds are searched too), may be empty
   * @param keepVolumes keep PersistentVolumeClaims (and their data)
   * @param dryRun only list what would be deleted
   */
  public Summary undeploy(EffectiveConfig cfg, List<HasMetadata> current, boolean keepVolumes, boolean dryRun) {
    String ns = cfg.kubernetes().namespace();
    Map<String, String> ours = Labels.ownership(cfg);
    List<String> deleted = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    Namespace namespace = call("read namespace " + ns, () -> client.namespaces().withName(ns).get());
    if (namespace == null) {
      log.info("Nothing to undeploy: namespace " + ns + " does not exist.");
      return new Summary(deleted, kept, false);
    }
    List<String> kinds = Inventory.kinds(call("read the ConfigMap of " + cfg.service().name(),
        () -> Inventory.recordedKinds(client, ns, ManifestGenerator.configMapName(cfg))), current);
    String verb = dryRun ? "would delete " : "deleted ";
    for (String kind : kinds) {
      for (HasMetadata o : Inventory.list(client, ns, kind, ours, log)) {
        String key = Fragments.key(o);
        if ("PersistentVolumeClaim".equals(o.getKind()) && keepVolumes) {
          kept.add(key);
          log.info("  kept       " + key + " (keepVolumes)");
          continue;
        }
        if (!dryRun) {
          call("delete " + key, () -> client.resource(o).withPropagationPolicy(DeletionPropagation.BACKGROUND)
              .delete());
        }
        deleted.add(key);
        log.info("  " + verb + key);
      }
    }
    boolean nsDeleted = false;
    Map<String, String> nsLabels = namespace.getMetadata().getLabels() == null ? Map.of()
        : namespace.getMetadata().getLabels();
    boolean createdByUs = nsLabels.entrySet().containsAll(ours.entrySet());
    if (!createdByUs) {
      log.info("Kept namespace " + ns + ": devplugin did not create it.");
    } else {
      List<String> foreign = foreign(ns, ours, keepVolumes);
      if (!foreign.isEmpty()) {
        kept.add("Namespace/" + ns);
        log.info("Kept namespace " + ns + ": it holds objects devplugin did not create ("
            + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
            + (foreign.size() > 5 ? ", ..." : "") + ").");
      } else {
        if (!dryRun) {
          call("delete namespace " + ns, () -> client.namespaces().withName(ns).delete());
        }
        nsDeleted = true;
        deleted.add("Namespace/" + ns);
        log.info("  " + verb + "Namespace/" + ns);
      }
    }
    log.info((dryRun ? "Dry run: undeploy would delete " : "Undeployed " + cfg.service().name() + " from ")
        + (dryRun ? deleted.size() + " objects of " + cfg.service().name() + " in " : "") + "namespace " + ns
        + (dryRun ? "" : ": " + deleted.size() + " objects deleted") + (kept.isEmpty() ? "" : ", kept "
        + String.join(", ", kept)) + ".");
    return new Summary(deleted, kept, nsDeleted);
  }

  /** Objects in the namespace that do not carry our labels (ignoring what Kubernetes itself puts there). */
  private List<String> foreign(String ns, Map<String, String> ours, boolean keepVolumes) {
    List<String> out = new ArrayList<>();
    for (String kind : FOREIGN_KINDS) {
      for (HasMetadata o : Inventory.list(client, ns, kind, Map.of(), log)) {
        Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
        boolean isOurs = labels.entrySet().containsAll(ours.entrySet());
        boolean system = ("ConfigMap".equals(o.getKind()) && "kube-root-ca.crt".equals(o.getMetadata().getName()))
            || ("ServiceAccount".equals(o.getKind()) && "default".equals(o.getMetadata().getName()))
            || (o instanceof io.fabric8.kubernetes.api.model.Secret s
                && "kubernetes.io/service-account-token".equals(s.getType()));
        boolean terminating = o.getMetadata().getDeletionTimestamp() != null;
        if ((!isOurs || ("PersistentVolumeClaim".equals(o.getKind()) && keepVolumes)) && !system && !terminating) {
          out.add(Fragments.key(o));
        }
      }
    }
    return out;
  }

  private <T> T call(String what, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (KubernetesClientException e) {
      throw new EnvironmentError("Cannot " + what + " on " + client.getMasterUrl() + ": " + e.getMessage()
          + ". Fix: check that the cluster is reachable with the kubeconfig context in use and that its"
          + " credentials may manage the namespace.", e);
    }
  }
}
