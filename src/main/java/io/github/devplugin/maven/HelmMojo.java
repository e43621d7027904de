package io.github.devplugin.maven;

import io.github.devplugin.helm.HelmGoal;
import io.github.devplugin.helm.HelmRunner;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/**
 * Writes a Helm chart of the service to {@code target/devplugin/helm/<service>/}: {@code Chart.yaml}
 * ({@code appVersion} the project's version, {@code version} that version as SemVer 2), one template per object
 * {@code devplugin:k8s} generates, {@code values.yaml} (the {@code dev} environment), {@code values-<env>.yaml} for
 * every environment and {@code values.schema.json}; packages it as {@code <service>-<version>.tgz}. Every build runs
 * the real Helm (helm-java, in process): {@code helm lint --strict}, and {@code helm template} of the {@code .tgz}
 * with every environment's values, which must render exactly the objects of {@code devplugin:k8s} for that
 * environment (only the label {@code helm.sh/chart} is added). Secrets stay references, as in the manifests.
 */
@Mojo(name = "helm", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class HelmMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.helm.skip}, default {@code false}. */
  @Parameter(property = "devplugin.helm.skip", defaultValue = "false")
  private boolean skipHelm;

  /**
   * Further values files (e.g. the ones a deployment pipeline passes with {@code helm install -f}) rendered against
   * the chart on every build, so that a key of the wrong type or an unknown key fails here, named. Relative to the
   * project's directory. Property {@code devplugin.helm.valuesFiles} (comma-separated), default none.
   */
  @Parameter(property = HelmGoal.VALUES_FILES_PROPERTY)
  private List<File> valuesFiles;

  private final RepositorySystem repositorySystem;

  @Inject
  public HelmMojo(SettingsDecrypter decrypter, RepositorySystem repositorySystem) {
    super(decrypter);
    this.repositorySystem = repositorySystem;
  }

  @Override
  protected String goalName() {
    return "helm";
  }

  @Override
  protected boolean goalSkipped() {
    return skipHelm;
  }

  @Override
  protected void run(Goal goal) {
    List<Path> files = new ArrayList<>();
    if (valuesFiles != null) {
      valuesFiles.forEach(f -> files.add(f.toPath()));
    }
    // helm-java is resolved only when Helm is first needed (a chart that is up to date needs none)
    HelmRunner.library(() -> HelmLibrary.resolve(repositorySystem, session, project, goal.log()));
    HelmGoal.run(goal.all(), files, goal.log());
  }
}
