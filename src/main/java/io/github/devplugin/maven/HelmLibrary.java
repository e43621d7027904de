package io.github.devplugin.maven;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyFilter;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;

/**
 * Resolves helm-java (the version the plugin was built with, {@code helm-java.properties}) with its runtime
 * dependencies from the project's plugin repositories, as Maven would resolve a plugin dependency: helm-java's POM
 * picks the native Helm library of this operating system and architecture. Not a dependency of the plugin: only
 * {@code devplugin:helm} needs it, and only when a chart changed.
 */
final class HelmLibrary {
  private HelmLibrary() {}

  private static final Set<String> NOT_AT_RUN_TIME = Set.of("test", "provided", "system");

  /** {@code groupId:artifactId:version} of the helm-java the plugin was built with. */
  static String coordinates() {
    Properties p = new Properties();
    try (InputStream in = HelmLibrary.class.getResourceAsStream("helm-java.properties")) {
      if (in == null) {
        throw new EnvironmentError("devplugin's jar lacks io/github/devplugin/maven/helm-java.properties: it is"
            + " damaged. Fix: delete it from the local repository so that Maven resolves it again.");
      }
      p.load(in);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read helm-java.properties from devplugin's jar: " + e.getMessage(), e);
    }
    return p.getProperty("groupId") + ":" + p.getProperty("artifactId") + ":" + p.getProperty("version");
  }

  static List<Path> resolve(RepositorySystem system, MavenSession session, MavenProject project, BuildLog log) {
    String coordinates = coordinates();
    CollectRequest collect = new CollectRequest(new Dependency(new DefaultArtifact(coordinates), "runtime"),
        project.getRemotePluginRepositories());
    DependencyFilter runtime = (node, parents) -> node.getDependency() == null
        || !NOT_AT_RUN_TIME.contains(node.getDependency().getScope());
    // said at info: the first run downloads ~20 MB, and an up-to-date chart must show it did not come here
    log.info("Resolving " + coordinates + " (Helm for devplugin:helm) from the plugin repositories.");
    try {
      List<Path> jars = new ArrayList<>();
      for (ArtifactResult r : system.resolveDependencies(session.getRepositorySession(),
          new DependencyRequest(collect, runtime)).getArtifactResults()) {
        jars.add(r.getArtifact().getFile().toPath());
      }
      log.debug("Helm runs from " + jars + ".");
      return jars;
    } catch (DependencyResolutionException e) {
      throw new EnvironmentError("Cannot resolve " + coordinates + ", the library devplugin:helm runs Helm with: "
          + e.getMessage() + ". Fix: let Maven reach a repository that has it (Maven Central; a first run cannot be"
          + " offline), or skip the chart with -Ddevplugin.helm.skip=true.", e);
    }
  }
}
