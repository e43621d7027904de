package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.devplugin.core.BuildLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What this plugin created for one service in one environment, found in the cluster by the {@code managed-by} and
 * {@code instance} labels: across the kinds the plugin generates by default, the kinds the last apply recorded on its
 * ConfigMap ({@link ManifestGenerator#KINDS}, so kinds added by fragments and later removed are still found) and the
 * kinds generated now.
 */
public final class Inventory {
  /** The kinds devplugin generates, as {@code apiVersion/Kind}. */
  public static final List<String> STANDARD_KINDS = List.of("v1/ServiceAccount", "v1/ConfigMap", "v1/Secret",
      "v1/PersistentVolumeClaim", "v1/Service", "batch/v1/Job", "apps/v1/Deployment",
      "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget", "networking.k8s.io/v1/Ingress",
      "networking.k8s.io/v1/NetworkPolicy");

  private Inventory() {}

  /** The kinds recorded on the live ConfigMap of the service, empty when it does not exist. */
  public static List<String> recordedKinds(KubernetesClient client, String namespace, String configMapName) {
    try {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(configMapName).get();
      if (cm == null || cm.getMetadata().getAnnotations() == null) {
        return List.of();
      }
      String kinds = cm.getMetadata().getAnnotations().get(ManifestGenerator.KINDS);
      return kinds == null || kinds.isBlank() ? List.of() : Arrays.asList(kinds.split(","));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      throw e;
    }
  }

  /** Sorted union of the standard kinds and the given ones, without cluster-scoped kinds. */
  public static List<String> kinds(Collection<String> recorded, Collection<HasMetadata> current) {
    TreeSet<String> all = new TreeSet<>(STANDARD_KINDS);
    all.addAll(recorded);
    for (HasMetadata o : current) {
      all.add(o.getApiVersion() + "/" + o.getKind());
    }
    List<String> out = new ArrayList<>();
    for (String k : all) {
      int slash = k.lastIndexOf('/');
      if (slash <= 0) {
        continue;
      }
      Class<? extends KubernetesResource> type = K8sYaml.modelClass(k.substring(0, slash), k.substring(slash + 1));
      if (type == null || Namespaced.class.isAssignableFrom(type)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Every object of {@code kind} in the namespace carrying the given labels. */
  public static List<HasMetadata> list(KubernetesClient client, String namespace, String kind,
      Map<String, String> labels, BuildLog log) {
    int slash = kind.lastIndexOf('/');
    String apiVersion = kind.substring(0, slash);
    String k = kind.substring(slash + 1);
    Class<? extends KubernetesResource> type = K8sYaml.modelClass(apiVersion, k);
    try {
      if (type != null && HasMetadata.class.isAssignableFrom(type)) {
        @SuppressWarnings("unchecked")
        Class<HasMetadata> t = (Class<HasMetadata>) type;
        return new ArrayList<>(client.resources(t).inNamespace(namespace).withLabels(labels).list().getItems());
      }
      List<GenericKubernetesResource> items = client.genericKubernetesResources(apiVersion, k).inNamespace(namespace)
          .withLabels(labels).list().getItems();
      return new ArrayList<>(items);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      log.warn("Cannot list " + kind + " in namespace " + namespace + ": " + e.getMessage());
      return List.of();
    }
  }
}
