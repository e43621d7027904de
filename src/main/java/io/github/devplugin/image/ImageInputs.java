package io.github.devplugin.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the build hands to the image goals, converted once from the front-end's model (Maven: the project's runtime
 * classpath and the plugin's own artifacts).
 *
 * @param classesDirectory compiled classes and processed resources ({@code target/classes})
 * @param dependencies the runtime classpath's jars (and reactor modules' class directories)
 * @param manifest main attributes of the project's jar manifest ({@code Main-Class}, {@code Start-Class}: the built
 *     jar's, else {@code Main-Class} of the maven-jar-plugin configuration), empty when there is none
 * @param migratorJars the plugin's own jar plus Flyway, pgjdbc and their runtime dependencies (empty without a database)
 * @param gitRevision the commit being built, or null outside a git work tree
 * @param gitDirty the work tree has uncommitted changes ({@link GitInfo#dirty}): git-SHA tags get {@code -dirty}
 * @param buildTime the image's creation time and its files' modification time
 *     ({@link io.github.devplugin.core.BuildTime}), or null for jib's fixed times
 * @param workDirectory scratch space for staged files ({@code target/devplugin/image-work})
 */
public record ImageInputs(Path classesDirectory, List<Dependency> dependencies, Map<String, String> manifest,
    List<Path> migratorJars, String gitRevision, boolean gitDirty, java.time.Instant buildTime,
    Path workDirectory) {

  public ImageInputs {
    dependencies = List.copyOf(dependencies);
    manifest = Map.copyOf(manifest);
    migratorJars = List.copyOf(migratorJars);
  }

  /** Inputs from a clean work tree (or none). */
  public ImageInputs(Path classesDirectory, List<Dependency> dependencies, Map<String, String> manifest,
      List<Path> migratorJars, String gitRevision, Path workDirectory) {
    this(classesDirectory, dependencies, manifest, migratorJars, gitRevision, false, null, workDirectory);
  }

  /** The layer a dependency belongs to. */
  public enum Kind {
    RELEASE, SNAPSHOT, PROJECT
  }

  /**
   * A runtime dependency: its file (a jar, or a reactor module's class directory), its kind, and its
   * {@code groupId:artifactId} (null when unknown), by which a framework's development-only artifacts are left out.
   */
  public record Dependency(Path file, Kind kind, String key) {
    public Dependency(Path file, Kind kind) {
      this(file, kind, null);
    }
  }
}
