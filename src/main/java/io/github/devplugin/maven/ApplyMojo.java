package io.github.devplugin.maven;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.k8s.Cluster;
import io.github.devplugin.k8s.ApplyGoal;
import io.github.devplugin.k8s.K8sGoal;
import io.github.devplugin.k8s.ResourceWriter;
import io.github.devplugin.k8s.Ticker;
import java.io.File;
import java.util.List;
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
   * Rolls the Deployment back to its previous revision when the rollout fails, overriding
   * {@code <kubernetes><undoOnFailure>}. Property {@code devplugin.apply.undo}; default
   * {@code <kubernetes><undoOnFailure>} ({@code false}).
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
   * Where the manifests are (re)generated, overriding {@code <kubernetes><outputDirectory>}. Property
   * {@code devplugin.k8s.outputDirectory}, default {@code ${project.build.directory}/devplugin/k8s}.
   */
  @Parameter(property = "devplugin.k8s.outputDirectory")
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
  protected void goalOverrides(List<ConfigLoader.Override> out) {
    override(out, "kubernetes.undoOnFailure", undo == null ? null : undo.toString(), "undo");
    override(out, "kubernetes.prune", prune == null ? null : prune.toString(), "prune");
    override(out, "kubernetes.rolloutTimeoutSeconds", timeout == null ? null : timeout.toString(), "timeout");
    override(out, "kubernetes.migrationTimeoutSeconds", migrationTimeout == null ? null : migrationTimeout.toString(),
        "migrationTimeout");
    override(out, "kubernetes.outputDirectory", outputDirectory == null ? null : outputDirectory.getPath(),
        "outputDirectory");
  }

  @Override
  protected void run(Goal goal) {
    EffectiveConfig cfg = goal.config();
    K8sGoal.Result manifests = K8sGoal.run(cfg, goal.log());
    // undo, prune, timeout and migrationTimeout reach cfg as traced overrides (goalOverrides)
    ApplyGoal.Options options = ApplyGoal.Options.of(cfg).withDryRun(dryRun)
        .withPrune(cfg.kubernetes().prune(), pruneVolumes);
    try (KubernetesClient client = Cluster.connect("apply", cfg.kubernetes().context(), network(goal), goal.log())) {
      new ApplyGoal(client, goal.log(), Ticker.SYSTEM, ResourceWriter.serverSideApply())
          .apply(cfg, manifests.objects(), goal.secrets(), options);
    }
  }
}
