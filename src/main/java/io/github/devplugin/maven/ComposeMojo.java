package io.github.devplugin.maven;

import io.github.devplugin.compose.ComposeGoal;
import io.github.devplugin.compose.ComposeGenerator;
import io.github.devplugin.compose.ReactorCompose;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.image.ImageRecord;
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
 * Generates the local environment: {@code docker-compose.yml} (the service, a one-shot {@code migrate} service,
 * PostgreSQL, Redis, and the UIs of the {@code tools} profile, with health checks and start order),
 * {@code docker-compose.override.yml} (dev: debug port, class mounts), {@code docker-compose.<env>.yml} for every
 * other environment, and {@code .env.example}. Validates every file against the Compose Specification's JSON schema
 * (bundled, offline) before writing anything. Deploys the image {@code devplugin:image} recorded in
 * {@code target/devplugin/image.json}, or builds the Dockerfile's {@code dev} target when there is none.
 */
@Mojo(name = "compose", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ComposeMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.compose.skip}, default {@code false}. */
  @Parameter(property = "devplugin.compose.skip", defaultValue = "false")
  private boolean skipCompose;

  /**
   * Where the files are written, overriding {@code <compose><outputDirectory>}; {@code ${project.basedir}} puts
   * them next to the POM. Property {@code devplugin.compose.outputDirectory}, default
   * {@code ${project.build.directory}/devplugin/compose}. An override of {@code compose.outputDirectory}, shown with
   * its origin by {@code devplugin:config}.
   */
  @Parameter(property = "devplugin.compose.outputDirectory")
  private File composeOutputDirectory;

  /** The reactor's one stack: under the top-level project's {@code target/devplugin}. */
  static final String REACTOR_DIRECTORY = "compose";

  /** What this execution's up-to-date decision read, or null when it wrote. */
  private RecheckFiles decided;

  @Inject
  public ComposeMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "compose";
  }

  @Override
  protected boolean goalSkipped() {
    return skipCompose;
  }

  @Override
  protected void goalOverrides(List<ConfigLoader.Override> out) {
    override(out, "compose.outputDirectory", composeOutputDirectory == null ? null
        : composeOutputDirectory.getPath(), "composeOutputDirectory");
  }

  @Override
  protected void run(Goal goal) {
    decided = null;
    EffectiveConfig selected = goal.config();
    EffectiveConfig dev = goal.all().get(ComposeGenerator.BASE_ENVIRONMENT);
    Path fragment = ReactorCompose.fragmentFile(dev.project().devpluginDirectory());
    Optional<String> notAService = Reactor.notAService(session, project, dev.service());
    if (notAService.isPresent()) {
      goal.log().info("Skipping devplugin:compose: " + project.getArtifactId() + " " + notAService.get() + ".");
      ReactorCompose.deleteFragment(fragment);
      return;
    }
    if (!selected.environment().equals(ComposeGenerator.BASE_ENVIRONMENT)) {
      goal.log().info("devplugin:compose writes the dev stack and an override file for every environment;"
          + " -Ddevplugin.env=" + selected.environment() + " does not change its output.");
    }
    List<EffectiveConfig> others = new ArrayList<>();
    for (String e : selected.environments()) {
      if (!e.equals(ComposeGenerator.BASE_ENVIRONMENT)) {
        others.add(goal.all().get(e));
      }
    }
    Path basedir = dev.project().basedir();
    Path out = basedir.resolve(dev.compose().outputDirectory()).normalize();
    // the stack runs the dev configuration: an image built for another environment is not its image (ComposeGoal
    // reads image.json only to generate)
    String mainClass = ComposeGoal.mainClassOf(jar(), dev.service().framework().profile().launch());
    ComposeGenerator.Input input = new ComposeGenerator.Input(dev, others, null, mainClass, out);
    Path imageRecord = ImageRecord.file(dev.project().devpluginDirectory());
    UpToDate stamp = UpToDate.forGoal(dev.project().devpluginDirectory(), "compose", null);
    ComposeGoal.Result result = ComposeGoal.run(input, imageRecord, stamp, goal.log(),
        Reactor.isMultiModule(session) ? fragment : null);
    if (result.upToDate()) {
      List<Path> files = new ArrayList<>(List.of(jar()));
      List<Path> trees = new ArrayList<>();
      ComposeGoal.decisionInputs(input, imageRecord, stamp, files, trees);
      decided = new RecheckFiles(files, trees);
    }
  }

  /** The packaged jar, whose manifest names the main class the stack runs. */
  private Path jar() {
    return project.getArtifact() == null || project.getArtifact().getFile() == null
        ? Path.of(project.getBuild().getDirectory()).resolve(project.getBuild().getFinalName() + ".jar")
        : project.getArtifact().getFile().toPath();
  }

  /** compose's up-to-date decision is repeated from the state of what it read ({@link io.github.devplugin.core.Recheck}). */
  @Override
  protected boolean rechecks() {
    return true;
  }

  @Override
  protected void recheckKey(List<String> out) {
    out.add(jar().toAbsolutePath().toString());
  }

  @Override
  protected RecheckFiles recheckFiles(Goal goal) {
    return decided;
  }

  /** In a multi-module build, the last module to finish merges every service module's stack into one. */
  @Override
  protected void finished(BuildLog log, boolean ran) {
    if (!Reactor.isMultiModule(session)
        || !Reactor.finishLast(session, mojoExecution, project, goalName(), "", ran)) {
      return;
    }
    List<ReactorCompose.Fragment> fragments = new ArrayList<>();
    for (MavenProject p : Reactor.fragmentModules(session, goalName(), "")) {
      ReactorCompose.readFragment(p.getArtifactId(), ReactorCompose.fragmentFile(Reactor.devpluginDirectory(p)))
          .ifPresent(fragments::add);
    }
    MavenProject root = Reactor.root(session);
    Path rootDevplugin = Reactor.rootDevpluginDirectory(session);
    ReactorCompose.run(new ReactorCompose.Input(root != null ? root.getArtifactId()
        : Reactor.rootDirectory(session).getFileName().toString(), root != null ? root.getVersion() : "",
        fragments, rootDevplugin.resolve(REACTOR_DIRECTORY)), UpToDate.forGoal(rootDevplugin, goalName(), "reactor"),
        log);
  }
}
