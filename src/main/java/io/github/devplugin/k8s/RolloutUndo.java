package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.devplugin.core.BuildLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** {@code apply}'s undo of a failed rollout: back to the pod template of the Deployment's previous revision. */
final class RolloutUndo {
  private final KubernetesClient client;
  private final BuildLog log;

  RolloutUndo(KubernetesClient client, BuildLog log) {
    this.client = client;
    this.log = log;
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
    owned.sort(Comparator.comparingLong(RolloutUndo::revision).reversed());
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
}
