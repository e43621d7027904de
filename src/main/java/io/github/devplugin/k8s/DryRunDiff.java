package io.github.devplugin.k8s;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code apply}'s dry run: each object is sent as a server-side dry run and the predicted object is compared with the
 * live one, as a unified diff of the fields worth comparing (no server bookkeeping, no status, Secret values hidden).
 */
final class DryRunDiff {
  private final KubernetesClient client;
  private final ResourceWriter writer;
  private final BuildLog log;
  private final ClusterCalls calls;

  DryRunDiff(KubernetesClient client, ResourceWriter writer, BuildLog log, ClusterCalls calls) {
    this.client = client;
    this.writer = writer;
    this.log = log;
    this.calls = calls;
  }

  /** Logs the diff of {@code o} against its live object and records it in {@code summary} when it would change. */
  void diff(HasMetadata o, ApplyGoal.Summary summary) {
    String key = Fragments.key(o);
    HasMetadata live = calls.call("read " + key, () -> client.resource(o).get());
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
}
