package io.github.devplugin.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.util.function.Supplier;

/** Cluster calls of {@code apply}: a client failure becomes an error that says what was being done and the fix. */
final class ClusterCalls {
  private final KubernetesClient client;

  ClusterCalls(KubernetesClient client) {
    this.client = client;
  }

  /** Runs a cluster call, turning client failures into errors that say what was being done. */
  <T> T call(String what, Supplier<T> action) {
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
