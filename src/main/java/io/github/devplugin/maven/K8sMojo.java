package io.github.devplugin.maven;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.k8s.K8sGoal;
import io.github.devplugin.k8s.ReactorKustomization;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.Names;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Generates the Kubernetes manifests of the selected environment (or of every environment named by
 * {@code -Ddevplugin.k8s.environments}) as typed fabric8 objects: Namespace, ServiceAccount,
 * ConfigMap, PersistentVolumeClaims, Service, migration Job, Deployment, HorizontalPodAutoscaler,
 * PodDisruptionBudget and Ingress, merged with the fragments in {@code src/main/k8s/}, validated (model, structure,
 * Pod Security "restricted" policy) and written to {@code target/devplugin/k8s/<env>/}: one file per object, a
 * {@code kustomization.yaml} and the all-in-one {@code manifests.yaml}. An invalid manifest fails the build and
 * nothing is written. The image is the digest-pinned reference of {@code target/devplugin/image.json} when
 * {@code devplugin:image} ran before.
 */
@Mojo(name = "k8s", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class K8sMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.k8s.skip}, default {@code false}. */
  @Parameter(property = "devplugin.k8s.skip", defaultValue = "false")
  private boolean skipK8s;

  /**
   * Where the manifests go; each environment gets a subdirectory. Overrides {@code <kubernetes><outputDirectory>}.
   * Property {@code devplugin.k8s.outputDirectory}, default {@code ${project.build.directory}/devplugin/k8s}.
   */
  @Parameter(property = "devplugin.k8s.outputDirectory")
  private File outputDirectory;

  /**
   * The environments whose manifests this run writes, each to its own subdirectory with its own up-to-date check,
   * e.g. {@code <k8sEnvironments><environment>dev</environment><environment>prod</environment></k8sEnvironments>}.
   * Property {@code devplugin.k8s.environments} (comma-separated), default: the selected environment
   * ({@code -Ddevplugin.env}).
   */
  @Parameter(property = K8sGoal.ENVIRONMENTS_PROPERTY)
  private List<String> k8sEnvironments;

  /** The environments this execution wrote (or found up to date), for the reactor's merge. */
  private List<String> written;

  /** What this execution's run found or wrote, per environment. */
  private List<K8sGoal.Result> results;

  /** The reactor's kustomizations, one subdirectory per environment: under the top-level project's
   * {@code target/devplugin}. */
  static final String REACTOR_DIRECTORY = "k8s";

  @Inject
  public K8sMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "k8s";
  }

  @Override
  protected boolean goalSkipped() {
    return skipK8s;
  }

  @Override
  protected void goalOverrides(List<ConfigLoader.Override> out) {
    override(out, "kubernetes.outputDirectory", outputDirectory == null ? null : outputDirectory.getPath(),
        "outputDirectory");
  }

  @Override
  protected void run(Goal goal) {
    results = null;
    written = K8sGoal.environments(k8sEnvironments, goal.all());
    Path devplugin = goal.config().project().devpluginDirectory();
    Optional<String> notAService = Reactor.notAService(session, project, goal.config().service());
    if (notAService.isPresent()) {
      goal.log().info("Skipping devplugin:k8s: " + project.getArtifactId() + " " + notAService.get() + ".");
      written.forEach(e -> ReactorKustomization.deleteFragment(ReactorKustomization.fragmentFile(devplugin, e)));
      return;
    }
    results = K8sGoal.run(goal.all(), written, goal.log());
    for (K8sGoal.Result result : results) {
      if (Reactor.isMultiModule(session)) {
        ReactorKustomization.writeFragment(ReactorKustomization.fragmentFile(devplugin, result.environment()),
            goal.all().get(result.environment()).service().name(), result);
      }
    }
  }

  /** k8s's up-to-date decision is repeated from the state of what it read ({@link io.github.devplugin.core.Recheck}). */
  @Override
  protected boolean rechecks() {
    return true;
  }

  @Override
  protected void recheckKey(List<String> out) {
    out.add(String.valueOf(k8sEnvironments));
  }

  /** One record per list of environments ({@code stamps/k8s-dev+staging+prod.recheck}): each list decides alone. */
  @Override
  protected Optional<String> recheckName() {
    List<String> names = K8sGoal.requested(k8sEnvironments, env);
    return Optional.of(String.join("+", names)).filter(n -> names.stream().allMatch(Names::isDnsLabel));
  }

  @Override
  protected RecheckFiles recheckFiles(Goal goal) {
    if (results == null || results.isEmpty() || !results.stream().allMatch(K8sGoal.Result::upToDate)) {
      return null;
    }
    List<Path> files = new ArrayList<>();
    List<Path> trees = new ArrayList<>();
    for (K8sGoal.Result r : results) {
      K8sGoal.decisionInputs(goal.all().get(r.environment()), r, files, trees);
    }
    return new RecheckFiles(files, trees);
  }

  /** In a multi-module build, the last module to finish writes each environment's kustomization over all services. */
  @Override
  protected void finished(BuildLog log, boolean ran) {
    if (!Reactor.isMultiModule(session)) {
      return;
    }
    for (String e : written != null ? written : K8sGoal.requested(k8sEnvironments, env)) {
      if (Reactor.finishLast(session, mojoExecution, project, goalName(), e, ran)) {
        merge(e, log);
      }
    }
  }

  private void merge(String environment, BuildLog log) {
    List<ReactorKustomization.Fragment> fragments = new ArrayList<>();
    for (MavenProject p : Reactor.fragmentModules(session, goalName(), environment)) {
      ReactorKustomization.readFragment(p.getArtifactId(),
          ReactorKustomization.fragmentFile(Reactor.devpluginDirectory(p), environment)).ifPresent(fragments::add);
    }
    Path rootDevplugin = Reactor.rootDevpluginDirectory(session);
    ReactorKustomization.run(new ReactorKustomization.Input(Reactor.rootDirectory(session), environment, fragments,
        rootDevplugin.resolve(REACTOR_DIRECTORY)),
        UpToDate.forGoal(rootDevplugin, goalName(), "reactor-" + environment), log);
  }
}
