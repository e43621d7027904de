package io.github.devplugin.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;

/** Opens a fabric8 client on the kubeconfig context of {@code <kubernetes><context>} and checks it is reachable. */
public final class Cluster {
  private Cluster() {}

  /**
   * @param context a kubeconfig context, or null for the current one ({@code KUBECONFIG} or {@code ~/.kube/config},
   *     or the in-cluster service account)
   * @throws EnvironmentError when the API server cannot be reached
   */
  public static KubernetesClient connect(String context, BuildLog log) {
    Config config = Config.autoConfigure(context);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    String where = client.getMasterUrl() + (context == null ? "" : " (context " + context + ")");
    try {
      VersionInfo v = client.getKubernetesVersion();
      log.info("Connected to Kubernetes " + v.getGitVersion() + " at " + where + ".");
      return client;
    } catch (KubernetesClientException e) {
      client.close();
      throw new EnvironmentError("Cannot reach the Kubernetes API at " + where + ": " + e.getMessage()
          + ". Fix: point KUBECONFIG (or ~/.kube/config) at the cluster, pick its context with"
          + " <kubernetes><context>, and check the network path to the API server.", e);
    }
  }
}
