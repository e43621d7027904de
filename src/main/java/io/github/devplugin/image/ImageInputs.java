package io.github.devplugin.image;

import java.nio.file.Path;
import java.util.List;

/**
 * What the build hands to the image goals, converted once from the front-end's model (Maven: the project's runtime
 * classpath and the plugin's own artifacts).
 *
 * @param classesDirectory compiled classes and processed resources ({@code target/classes})
 * @param dependencies the runtime classpath's jars (and reactor modules' class directories)
 * @param manifestMainClass {@code Main-Class} of the project's jar manifest (built jar or maven-jar-plugin
 *     configuration), or null
 * @param migratorJars the plugin's own jar plus Flyway, pgjdbc and their runtime dependencies (empty without a database)
 * @param gitRevision the commit being built, or null outside a git work tree
 * @param workDirectory scratch space for staged files ({@code target/devplugin/image-work})
 */
public record ImageInputs(Path classesDirectory, List<Dependency> dependencies, String manifestMainClass,
    List<Path> migratorJars, String gitRevision, Path workDirectory) {

  public ImageInputs {
    dependencies = List.copyOf(dependencies);
    migratorJars = List.copyOf(migratorJars);
  }

  /** The layer a dependency belongs to. */
  public enum Kind {
    RELEASE, SNAPSHOT, PROJECT
  }

  /** A runtime dependency: its file (a jar, or a reactor module's class directory) and its kind. */
  public record Dependency(Path file, Kind kind) {}
}
