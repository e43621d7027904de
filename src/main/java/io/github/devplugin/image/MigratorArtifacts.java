package io.github.devplugin.image;

import java.util.List;

/**
 * What the migrator layer ({@link ImageLayout#MIGRATOR_DIR}) holds besides devplugin's own jar: these artifacts and
 * their runtime dependencies, taken from the plugin's resolved artifacts. Add here what
 * {@link ImageLayout#MIGRATOR_MAIN} needs at run time.
 */
public final class MigratorArtifacts {
  private MigratorArtifacts() {}

  /** {@code groupId:artifactId} of the migrator's roots. */
  public static final List<String> ROOTS = List.of("org.flywaydb:flyway-core",
      "org.flywaydb:flyway-database-postgresql", "org.postgresql:postgresql", "tools.jackson.core:jackson-databind");
}
