package io.github.devplugin.maven;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.devplugin.k8s.Cluster;
import io.github.devplugin.k8s.UndeployGoal;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Removes everything devplugin created for the service in the selected environment, found by the labels
 * {@code app.kubernetes.io/managed-by=devplugin} and {@code app.kubernetes.io/instance}, and nothing else; the
 * namespace only when devplugin created it and nothing else lives in it.
 */
@Mojo(name = "undeploy", threadSafe = true)
public class UndeployMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.undeploy.skip}, default {@code false}. */
  @Parameter(property = "devplugin.undeploy.skip", defaultValue = "false")
  private boolean skipUndeploy;

  /**
   * Keeps the service's PersistentVolumeClaims (and so its data). Property {@code devplugin.undeploy.keepVolumes},
   * default {@code false}.
   */
  @Parameter(property = "devplugin.undeploy.keepVolumes", defaultValue = "false")
  private boolean keepVolumes;

  /** Lists what would be deleted and deletes nothing. Property {@code devplugin.undeploy.dryRun}, default
   * {@code false}. */
  @Parameter(property = "devplugin.undeploy.dryRun", defaultValue = "false")
  private boolean dryRun;

  @Inject
  public UndeployMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "undeploy";
  }

  @Override
  protected boolean goalSkipped() {
    return skipUndeploy;
  }

  @Override
  protected void run(Goal goal) {
    try (KubernetesClient client = Cluster.connect("undeploy", goal.config().kubernetes().context(), network(goal),
        goal.log())) {
      new UndeployGoal(client, goal.log()).undeploy(goal.config(), List.of(), keepVolumes, dryRun);
    }
  }
}
