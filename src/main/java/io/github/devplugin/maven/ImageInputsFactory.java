package io.github.devplugin.maven;

import io.github.devplugin.core.BuildTime;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.KeyedList;
import io.github.devplugin.image.GitInfo;
import io.github.devplugin.image.ImageInputs;
import io.github.devplugin.image.MigratorJar;
import io.github.devplugin.image.MigratorArtifacts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.DependencyCollectionContext;
import org.eclipse.aether.collection.DependencyCollectionException;
import org.eclipse.aether.collection.DependencySelector;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;

/** Converts the Maven project and the plugin's own artifacts into {@link ImageInputs}. */
final class ImageInputsFactory {
  private ImageInputsFactory() {}

  /**
   * @param withGitDirty whether the image needs {@link GitInfo#dirty} (else recorded as false, and not read: see
   *     {@link GitInfo#dirtyNeeded})
   */
  static ImageInputs create(MavenProject project, MavenSession session, PluginDescriptor plugin,
      RepositorySystem repositorySystem, boolean withMigrator, boolean withGitDirty) {
    Set<String> reactor = new java.util.HashSet<>();
    if (session != null) {
      for (MavenProject p : session.getProjects()) {
        reactor.add(p.getGroupId() + ":" + p.getArtifactId());
      }
    }
    List<ImageInputs.Dependency> deps = new ArrayList<>();
    for (Artifact a : project.getArtifacts()) {
      String scope = a.getScope();
      if (a.getFile() == null || !(Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope)
          || Artifact.SCOPE_SYSTEM.equals(scope))) {
        continue;
      }
      if (!"jar".equals(a.getType()) && !a.getFile().isDirectory() && !a.getFile().getName().endsWith(".jar")) {
        continue;
      }
      ImageInputs.Kind kind = reactor.contains(a.getGroupId() + ":" + a.getArtifactId()) ? ImageInputs.Kind.PROJECT
          : a.isSnapshot() ? ImageInputs.Kind.SNAPSHOT : ImageInputs.Kind.RELEASE;
      deps.add(new ImageInputs.Dependency(a.getFile().toPath(), kind, a.getGroupId() + ":" + a.getArtifactId()));
    }
    Path build = Path.of(project.getBuild().getDirectory());
    GitInfo.State git = GitInfo.read(project.getBasedir().toPath(), withGitDirty);
    return new ImageInputs(Path.of(project.getBuild().getOutputDirectory()), deps, manifest(project),
        withMigrator ? migratorJars(plugin, project, session, repositorySystem) : List.of(),
        git.revision(), git.dirty(),
        BuildTime.resolve(project.getProperties().getProperty(BuildTime.OUTPUT_TIMESTAMP),
            System.getenv(BuildTime.SOURCE_DATE_EPOCH)).orElse(null),
        build.resolve("devplugin").resolve("image-work"));
  }

  /**
   * {@code Main-Class} and {@code Start-Class} of the built jar (a repackaged Spring Boot jar names the application in
   * {@code Start-Class}), else {@code Main-Class} of maven-jar-plugin's configuration, else nothing.
   */
  static Map<String, String> manifest(MavenProject project) {
    Map<String, String> out = new java.util.TreeMap<>();
    File jar = project.getArtifact() == null ? null : project.getArtifact().getFile();
    if (jar != null && jar.isFile() && jar.getName().endsWith(".jar")) {
      try (JarFile j = new JarFile(jar)) {
        Manifest m = j.getManifest();
        for (String attribute : List.of("Main-Class", "Start-Class")) {
          String value = m == null ? null : m.getMainAttributes().getValue(attribute);
          if (value != null && !value.isBlank()) {
            out.put(attribute, value.strip());
          }
        }
      } catch (IOException e) {
        // fall back to the configuration
      }
    }
    if (out.isEmpty()) {
      String configured = configuredMainClass(project);
      if (configured != null) {
        out.put("Main-Class", configured);
      }
    }
    return out;
  }

  /** {@code Main-Class} of maven-jar-plugin's configuration, else null. */
  private static String configuredMainClass(MavenProject project) {
    Plugin jarPlugin = project.getPlugin("org.apache.maven.plugins:maven-jar-plugin");
    if (jarPlugin != null && jarPlugin.getConfiguration() instanceof Xpp3Dom c) {
      Xpp3Dom archive = c.getChild("archive");
      Xpp3Dom manifest = archive == null ? null : archive.getChild("manifest");
      Xpp3Dom main = manifest == null ? null : manifest.getChild("mainClass");
      if (main != null && main.getValue() != null && !main.getValue().isBlank() && !main.getValue().contains("${")) {
        return main.getValue().strip();
      }
    }
    return null;
  }

  /**
   * The plugin's own jar plus {@link MigratorArtifacts#ROOTS} and their runtime dependencies, as the plugin resolved
   * them (the dependency graph of the roots is collected to know which of the plugin's artifacts they need).
   */
  static List<Path> migratorJars(PluginDescriptor plugin, MavenProject project, MavenSession session,
      RepositorySystem system) {
    Map<String, Artifact> byKey = new HashMap<>();
    for (Artifact a : plugin.getArtifacts()) {
      byKey.put(a.getGroupId() + ":" + a.getArtifactId(), a);
    }
    CollectRequest request = new CollectRequest();
    for (String root : MigratorArtifacts.ROOTS) {
      Artifact a = byKey.get(root);
      if (a == null) {
        throw new EnvironmentError("devplugin's own artifacts lack " + root + ", needed by the migrator layer.");
      }
      request.addDependency(new Dependency(new DefaultArtifact(a.getGroupId(), a.getArtifactId(), "jar",
          a.getVersion()), "runtime"));
    }
    request.setRepositories(project.getRemotePluginRepositories());
    // the collection (~200 ms on every image and dockerfile run) gives the same keys while the plugin's artifacts
    // (their coordinates, and their files' paths, sizes and times) are the same: kept in target/devplugin/stamps
    Path kept = Path.of(project.getBuild().getDirectory()).resolve("devplugin").resolve("stamps")
        .resolve("migrator-artifacts.list");
    String maven = session.getSystemProperties().getProperty("maven.version", "?"); // its resolver selects
    List<String> keys = KeyedList.get(kept, artifactsKey(maven, plugin.getArtifacts()), () -> {
      Set<String> collected = new LinkedHashSet<>();
      // only the plugin's own artifacts are walked: what the plugin's POM excludes is not read (a source
      // Dockerfile's dependency:go-offline stage, which resolved the plugin, never fetched its POM)
      DefaultRepositorySystemSession inRealm = new DefaultRepositorySystemSession(session.getRepositorySession());
      inRealm.setDependencySelector(new InRealm(byKey.keySet(), inRealm.getDependencySelector()));
      try {
        DependencyNode root = system.collectDependencies(inRealm, request).getRoot();
        walk(root, collected);
      } catch (DependencyCollectionException e) {
        throw new EnvironmentError("Cannot collect the migrator's dependencies (" + String.join(", ",
            MigratorArtifacts.ROOTS) + "): " + e.getMessage(), e);
      }
      return new ArrayList<>(collected);
    });
    List<Path> jars = new ArrayList<>();
    // the published plugin jar bundles libraries the migrator does not need: the layer gets devplugin's own entries
    jars.add(MigratorJar.forLayer(plugin.getPluginArtifact().getFile().toPath(),
        Path.of(project.getBuild().getDirectory()).resolve("devplugin").resolve("migrator")));
    for (String key : keys) {
      Artifact a = byKey.get(key);
      if (a != null && a.getFile() != null) {
        jars.add(a.getFile().toPath());
      }
    }
    return jars;
  }

  /**
   * What the migrator's collection depends on: the roots, the Maven version (its resolver selects), and every artifact
   * of the plugin with its file's path, size and modification time (a rebuilt SNAPSHOT is another input).
   */
  static String artifactsKey(String mavenVersion, List<Artifact> artifacts) {
    Fingerprint f = Fingerprint.start().add("roots", MigratorArtifacts.ROOTS).add("maven", mavenVersion);
    for (Artifact a : artifacts) {
      f.add("artifact", a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getBaseVersion() + ":" + a.getVersion()
          + ":" + a.getType() + ":" + a.getClassifier() + ":" + a.getScope() + ":" + a.isOptional());
      File file = a.getFile();
      f.add("file", file == null ? "-" : file.getAbsolutePath() + " " + file.length() + " " + file.lastModified());
    }
    return f.hex();
  }

  /** Selects only dependencies among the plugin's resolved artifacts, within the session's own selection. */
  private record InRealm(Set<String> keys, DependencySelector base) implements DependencySelector {
    @Override
    public boolean selectDependency(Dependency d) {
      return keys.contains(d.getArtifact().getGroupId() + ":" + d.getArtifact().getArtifactId())
          && (base == null || base.selectDependency(d));
    }

    @Override
    public DependencySelector deriveChildSelector(DependencyCollectionContext context) {
      return new InRealm(keys, base == null ? null : base.deriveChildSelector(context));
    }
  }

  private static void walk(DependencyNode node, Set<String> keys) {
    for (DependencyNode child : node.getChildren()) {
      Dependency d = child.getDependency();
      if (d == null || d.isOptional() || "test".equals(d.getScope()) || "provided".equals(d.getScope())) {
        continue;
      }
      if (keys.add(d.getArtifact().getGroupId() + ":" + d.getArtifact().getArtifactId())) {
        walk(child, keys);
      }
    }
  }
}
