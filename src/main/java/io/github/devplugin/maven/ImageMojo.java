package io.github.devplugin.maven;

import io.github.devplugin.image.GitInfo;
import io.github.devplugin.image.ImageGoal;
import io.github.devplugin.image.ImageInputs;

import javax.inject.Inject;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;

/**
 * Builds the service's container image with jib-core, without a Docker daemon: the runtime classpath in layers
 * (dependencies, snapshot dependencies, reactor modules, resources, classes, extra files), the health probe, and the
 * migrator when the service has a database; a numeric non-root user; OCI labels; fixed timestamps, so identical inputs
 * give an identical digest. Pushes to a registry, writes a tar (Docker, OCI, or an OCI image index for several
 * platforms) or loads into a local engine (Docker Engine API socket, Podman's too). Records what it built in
 * {@code target/devplugin/image.json}. Does nothing when inputs and configuration are unchanged.
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class ImageMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.image.skip}, default {@code false}. */
  @Parameter(property = "devplugin.image.skip", defaultValue = "false")
  private boolean skipImage;

  /**
   * Builds even when the inputs and configuration are unchanged since the last build. Property
   * {@code devplugin.image.force}, default {@code false}.
   */
  @Parameter(property = ImageGoal.FORCE_PROPERTY, defaultValue = "false")
  private boolean force;

  /**
   * devplugin's user cache: the linked {@code jlink} base and the SBOM's inventory of every image layer read before.
   * Property {@code devplugin.cacheDirectory}, default {@code ~/.cache/devplugin}.
   */
  @Parameter(property = ImageGoal.CACHE_DIRECTORY_PROPERTY, defaultValue = "${user.home}/.cache/devplugin")
  private java.io.File cacheDirectory;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  private PluginDescriptor plugin;

  private final RepositorySystem repositorySystem;

  @Inject
  public ImageMojo(SettingsDecrypter decrypter, RepositorySystem repositorySystem) {
    super(decrypter);
    this.repositorySystem = repositorySystem;
  }

  @Override
  protected String goalName() {
    return "image";
  }

  @Override
  protected boolean goalSkipped() {
    return skipImage;
  }

  @Override
  protected void run(Goal goal) {
    if ("pom".equals(project.getPackaging())) {
      goal.log().info("Skipping devplugin:image: " + project.getArtifactId() + " has pom packaging (no classes).");
      return;
    }
    java.util.Optional<String> notAService = Reactor.notAService(session, project, goal.config().service());
    if (notAService.isPresent()) {
      goal.log().info("Skipping devplugin:image: " + project.getArtifactId() + " " + notAService.get() + ".");
      return;
    }
    ImageInputs inputs = ImageInputsFactory.create(project, session, plugin, repositorySystem,
        goal.config().database().enabled(), GitInfo.dirtyNeeded(goal.config().image()));
    ImageGoal.update(goal.config(), inputs, goal.secrets(), goal.log(), cacheDirectory.toPath(), System.getenv(),
        network(goal), force);
  }
}
