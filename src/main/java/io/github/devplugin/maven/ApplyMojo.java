package io.github.devplugin.maven;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.k8s.Cluster;
import io.github.devplugin.k8s.Deployer;
import io.github.devplugin.k8s.ManifestBuild;
import io.github.devplugin.k8s.ResourceWriter;
import io.github.devplugin.k8s.Ticker;
import java.io.File;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Deploys the selected environment's manifests (generated as {@code devplugin:k8s} does, up-to-date aware) to the
 * cluster of the kubeconfig context: server-side apply with field manager {@code devplugin}; the migration Job first,
 * waited for; then the Deployment, whose rollout is waited for with progress lines and a timeout; a failed Job or
 * rollout is explained (container states, events, the Job's log) and optionally undone; objects of this service that
 * are no longer generated are pruned. {@code -Ddevplugin.apply.dryRun} prints the diff and changes nothing.
 */
@Mojo(name = "apply", threadSafe = true)
public class ApplyMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.apply.skip}, default {@code false}. */
  @Parameter(property = "devplugin.apply.skip", defaultValue = "false")
  private boolean skipApply;

  /**
   * Prints a diff of every object against the cluster (server-side dry run) and the objects that would be pruned;
   * changes nothing. Property {@code devplugin.apply.dryRun}, default {@code false}.
   */
  @Parameter(property = "devplugin.apply.dryRun", defaultValue = "false")
  private boolean dryRun;

  /**
   * Rolls the Deployment back to its previous revision when the rollout fails. Property {@code devplugin.apply.undo};
   * default {@code <kubernetes><undoOnFailure>} ({@code false}).
   */
  @Parameter(property = "devplugin.apply.undo")
  private Boolean undo;

  /**
   * Deletes objects of this service (labels {@code app.kubernetes.io/managed-by=devplugin} and its
   * {@code app.kubernetes.io/instance}) that are no longer generated. Property {@code devplugin.apply.prune};
   * default {@code <kubernetes><prune>} ({@code true}).
   */
  @Parameter(property = "devplugin.apply.prune")
  private Boolean prune;

  /**
   * Also prunes PersistentVolumeClaims that are no longer generated, deleting their data. Property
   * {@code devplugin.apply.pruneVolumes}, default {@code false}.
   */
  @Parameter(property = "devplugin.apply.pruneVolumes", defaultValue = "false")
  private boolean pruneVolumes;

  /**
   * Seconds to wait for the rollout. Property {@code devplugin.apply.timeout}; default
   * {@code <kubernetes><rolloutTimeoutSeconds>} (300).
   */
  @Parameter(property = "devplugin.apply.timeout")
  private Integer timeout;

  /**
   * Seconds to wait for the migration Job. Property {@code devplugin.apply.migrationTimeout}; default
   * {@code <kubernetes><migrationTimeoutSeconds>} (600).
   */
  @Parameter(property = "devplugin.apply.migrationTimeout")
  private Integer migrationTimeout;

  /**
   * Where the manifests are (re)generated. Property {@code devplugin.k8s.outputDirectory}, default
   * {@code ${project.build.directory}/devplugin/k8s}.
   */
  @Parameter(property = "devplugin.k8s.outputDirectory", defaultValue = "${project.build.directory}/devplugin/k8s")
  private File outputDirectory;

  @Inject
  public ApplyMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "apply";
  }

  @Override
  protected boolean goalSkipped() {
    return skipApply;
  }

  @Override
  protected void run(Goal goal) {
    EffectiveConfig cfg = goal.config();
    ManifestBuild.Result manifests = ManifestBuild.run(cfg, outputDirectory.toPath(), goal.log());
    Deployer.Options options = Deployer.Options.of(cfg).withDryRun(dryRun)
        .withPrune(prune == null ? cfg.kubernetes().prune() : prune, pruneVolumes)
        .withUndo(undo == null ? cfg.kubernetes().undoOnFailure() : undo);
    options = options.withTimeouts(timeout == null ? options.rolloutTimeoutMillis() : timeout * 1000L,
        migrationTimeout == null ? options.migrationTimeoutMillis() : migrationTimeout * 1000L, options.pollMillis());
    try (KubernetesClient client = Cluster.connect(cfg.kubernetes().context(), goal.log())) {
      new Deployer(client, goal.log(), Ticker.SYSTEM, ResourceWriter.serverSideApply())
          .apply(cfg, manifests.objects(), goal.secrets(), options);
    }
  }
}
