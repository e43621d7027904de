package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import java.io.File;
import java.util.List;

/** Opens a fabric8 client on the kubeconfig context of {@code <kubernetes><context>} and checks it is reachable. */
public final class Cluster {
  private Cluster() {}

  /** How often a failed request is retried (fabric8's default is 10, with a doubling backoff). */
  static final int REQUEST_RETRIES = 2;

  /**
   * @param context a kubeconfig context, or null for the current one ({@code KUBECONFIG} or {@code ~/.kube/config},
   *     or the in-cluster service account)
   * @throws EnvironmentError when the context is not in the kubeconfig (fabric8 would silently fall back to the
   *     current context, another cluster) or the API server cannot be reached
   */
  public static KubernetesClient connect(String context, BuildLog log) {
    Config config = Config.autoConfigure(context);
    if (context != null && (config.getCurrentContext() == null
        || !context.equals(config.getCurrentContext().getName()))) {
      List<String> known = config.getContexts() == null ? List.of()
          : config.getContexts().stream().map(NamedContext::getName).sorted().toList();
      throw new EnvironmentError("The kubeconfig context " + context + " (<kubernetes><context>) is not in the"
          + " kubeconfig in use (" + String.join(File.pathSeparator, Config.getKubeconfigFilenames()) + "; "
          + (known.isEmpty() ? "no contexts" : "contexts: " + String.join(", ", known)) + "). Nothing was changed."
          + " Fix: add the context to the kubeconfig (or point KUBECONFIG at the file that has it), or name one of"
          + " the existing contexts in <kubernetes><context>.");
    }
    // fabric8 retries a refused connection 10 times with a doubling backoff (tens of seconds of silence); two retries
    // ride out a blip without hiding an unreachable cluster
    config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    String where = client.getMasterUrl() + (context == null ? "" : " (context " + context + ")");
    log.info("Connecting to the Kubernetes API at " + where + "...");
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
