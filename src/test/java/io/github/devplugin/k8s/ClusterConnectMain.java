package io.github.devplugin.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.devplugin.core.Network;
import io.github.devplugin.testing.RecordingLog;
import java.util.List;

/**
 * {@link Cluster#connect} in a JVM of its own, as in a Maven run where no JDK HTTP client started before devplugin's
 * (the JDK reads its tunnel authentication setting once per JVM): {@code kubeconfig proxyPort user password}, the
 * proxy on 127.0.0.1 for https. Prints the log's lines, then {@code CONNECTED <gitVersion>} or {@code ERROR <message>}.
 */
public final class ClusterConnectMain {
  private ClusterConnectMain() {}

  public static void main(String[] args) {
    System.setProperty("kubeconfig", args[0]);
    RecordingLog log = new RecordingLog();
    Network network = new Network(false, List.of(new Network.Proxy("corp", "https", "127.0.0.1",
        Integer.parseInt(args[1]), null, args[2], args[3])));
    String result;
    try (KubernetesClient client = Cluster.connect("apply", "ctx", network, log)) {
      client.namespaces().withName("notes").get();
      result = "CONNECTED " + client.getKubernetesVersion().getGitVersion();
    } catch (RuntimeException e) {
      result = "ERROR " + e.getMessage();
    }
    log.lines.forEach(System.out::println);
    System.out.println(result);
  }
}
