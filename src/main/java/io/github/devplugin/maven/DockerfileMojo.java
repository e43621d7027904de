package io.github.devplugin.maven;

import io.github.devplugin.config.EffectiveConfig;
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
 * Writes a multi-stage {@code Dockerfile} and {@code .dockerignore} to {@code target/devplugin/docker/}, from the same
 * build plan as {@code image}: the same layers (staged next to the Dockerfile, dependencies before classes so that
 * they stay cached), user, entrypoint, environment, ports and labels, a {@code HEALTHCHECK} running the probe, and one
 * target per environment ({@code dev} with a debug port, {@code staging}, {@code prod}, and any other declared one).
 * For pipelines that insist on {@code docker build}.
 */
@Mojo(name = "dockerfile", defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class DockerfileMojo extends AbstractDevpluginMojo {
  /** The targets every Dockerfile has, declared in the POM or not. */
  static final List<String> STANDARD_TARGETS = List.of("dev", "staging", "prod");

  /** Skips this goal. Property {@code devplugin.dockerfile.skip}, default {@code false}. */
  @Parameter(property = "devplugin.dockerfile.skip", defaultValue = "false")
  private boolean skipDockerfile;

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
  protected void run(Goal goal) {
    if ("pom".equals(project.getPackaging())) {
      goal.log().info("Skipping devplugin:dockerfile: " + project.getArtifactId() + " has pom packaging.");
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
      targets.put(name, name.equals(goal.config().environment()) ? goal.config()
          : loadConfig(name, STANDARD_TARGETS));
    }
    ImageInputs inputs = ImageInputsFactory.create(project, session, plugin, repositorySystem,
        goal.config().database().enabled());
    DockerfileGoal.run(goal.config(), targets, inputs, goal.log());
  }
}
