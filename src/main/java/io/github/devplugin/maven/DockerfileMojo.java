package io.github.devplugin.maven;

import io.github.devplugin.config.Environments;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.DockerfileSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.UserError;
import io.github.devplugin.image.DockerfileGoal;
import io.github.devplugin.image.ImageInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/**
 * Writes a multi-stage Dockerfile from the same build plan as {@code image}: the same layers (dependencies before
 * classes so that they stay cached), user, entrypoint, environment, ports and labels, a {@code HEALTHCHECK} running
 * the probe, and one target per environment ({@code dev} with a debug port, {@code staging}, {@code prod}, and any
 * other declared one). For pipelines that insist on {@code docker build}. Two modes ({@code <image><dockerfile><mode>}):
 * {@code staged} (default) writes {@code target/devplugin/docker/Dockerfile} and stages the layers next to it;
 * {@code source} writes {@code target/devplugin/docker/Dockerfile.source} (or {@code <file>}), built with the project
 * directory as context: it compiles the project with Maven inside the build, caching the dependencies in a stage of
 * their own.
 */
@Mojo(name = "dockerfile", defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class DockerfileMojo extends AbstractDevpluginMojo {
  /** The targets every Dockerfile has, declared in the POM or not. */
  static final List<String> STANDARD_TARGETS = Environments.STANDARD;

  /** Skips this goal. Property {@code devplugin.dockerfile.skip}, default {@code false}. */
  @Parameter(property = "devplugin.dockerfile.skip", defaultValue = "false")
  private boolean skipDockerfile;

  /**
   * Overrides {@code <image><dockerfile><mode>}: {@code staged} (the layers {@code mvn package} staged; default) or
   * {@code source} (compiles the project inside the build). Property {@code devplugin.dockerfile.mode}.
   */
  @Parameter(property = "devplugin.dockerfile.mode")
  private String dockerfileMode;

  /**
   * Overrides {@code <image><dockerfile><file>}: the source mode's Dockerfile, relative to the project directory.
   * Property {@code devplugin.dockerfile.file}, default {@code target/devplugin/docker/Dockerfile.source}.
   */
  @Parameter(property = "devplugin.dockerfile.file")
  private String dockerfileFile;

  /**
   * Overrides {@code <image><dockerfile><builderImage>}: the Maven + JDK image of the source mode's build stages.
   * Property {@code devplugin.dockerfile.builderImage}, default {@code maven:3.9.11-eclipse-temurin-17}.
   */
  @Parameter(property = "devplugin.dockerfile.builderImage")
  private String dockerfileBuilderImage;

  /**
   * Overrides {@code <image><dockerfile><skipTests>}: whether the source mode's build skips the tests. Property
   * {@code devplugin.dockerfile.skipTests}, default {@code true}.
   */
  @Parameter(property = "devplugin.dockerfile.skipTests")
  private String dockerfileSkipTests;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  private PluginDescriptor plugin;

  private final RepositorySystem repositorySystem;

  @Inject
  public DockerfileMojo(SettingsDecrypter decrypter, RepositorySystem repositorySystem) {
    super(decrypter);
    this.repositorySystem = repositorySystem;
  }

  @Override
  protected String goalName() {
    return "dockerfile";
  }

  @Override
  protected boolean goalSkipped() {
    return skipDockerfile;
  }

  @Override
  protected List<String> alwaysKnownEnvironments() {
    return STANDARD_TARGETS;
  }

  @Override
  protected void goalOverrides(List<ConfigLoader.Override> out) {
    override(out, "image.dockerfile.mode", dockerfileMode, "dockerfileMode");
    override(out, "image.dockerfile.file", dockerfileFile, "dockerfileFile");
    override(out, "image.dockerfile.builderImage", dockerfileBuilderImage, "dockerfileBuilderImage");
    override(out, "image.dockerfile.skipTests", dockerfileSkipTests, "dockerfileSkipTests");
  }

  @Override
  protected void run(Goal goal) {
    if ("pom".equals(project.getPackaging())) {
      goal.log().info("Skipping devplugin:dockerfile: " + project.getArtifactId() + " has pom packaging.");
      return;
    }
    java.util.Optional<String> notAService = Reactor.notAService(session, project, goal.config().service());
    if (notAService.isPresent()) {
      goal.log().info("Skipping devplugin:dockerfile: " + project.getArtifactId() + " " + notAService.get() + ".");
      return;
    }
    List<String> names = new ArrayList<>(STANDARD_TARGETS);
    for (String e : goal.config().environments()) {
      if (!names.contains(e)) {
        names.add(e);
      }
    }
    Map<String, EffectiveConfig> targets = new LinkedHashMap<>();
    for (String name : names) {
      targets.put(name, goal.all().get(name));
    }
    if (goal.config().image().dockerfile().mode() == DockerfileSettings.Mode.SOURCE) {
      checkSourceBuildable();
    }
    // no tags are made (the Dockerfile names none), so whether the work tree is dirty does not matter: no git status
    ImageInputs inputs = ImageInputsFactory.create(project, session, plugin, repositorySystem,
        goal.config().database().enabled(), false);
    DockerfileGoal.run(goal.config(), targets, inputs,
        plugin.getGroupId() + ":" + plugin.getArtifactId() + ":" + plugin.getVersion(), goal.log());
  }

  /** The source Dockerfile builds one project from its directory: its {@code pom.xml}, no reactor parent. */
  private void checkSourceBuildable() {
    if (project.getFile() == null || !"pom.xml".equals(project.getFile().getName())) {
      throw new UserError("<image><dockerfile><mode>source</mode> builds the project from its pom.xml, but this"
          + " build reads " + project.getFile() + ". Fix: name the POM pom.xml, or use "
          + OverrideProperties.setting("image.dockerfile.mode", "staged") + ".");
    }
    if (project.getParentFile() != null) {
      throw new UserError("<image><dockerfile><mode>source</mode> builds a single-module project with its directory"
          + " as the build context, but " + project.getArtifactId() + " inherits from " + project.getParentFile()
          + ", a POM of the same source tree, which that context would not hold. Fix: use the staged mode"
          + " (" + OverrideProperties.setting("image.dockerfile.mode", "staged") + ", the default) for modules of a"
          + " multi-module build.");
    }
  }
}
