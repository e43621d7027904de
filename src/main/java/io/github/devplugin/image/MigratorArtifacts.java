package io.github.devplugin.image;

import java.util.List;

/**
 * What the migrator layer ({@link ImageLayout#MIGRATOR_DIR}) holds besides devplugin's own jar: these artifacts and
 * their runtime dependencies, taken from the plugin's resolved artifacts. Add here what
 * {@link ImageLayout#MIGRATOR_MAIN} needs at run time. Jackson is not among them: Flyway's Jackson dependency is
 * optional, and without it Flyway copies its configuration extensions field by field instead of through a new
 * {@code ObjectMapper} (the plugin bundles its own Jackson 3 relocated, for the same reason).
 */
public final class MigratorArtifacts {
  private MigratorArtifacts() {}

  /** {@code groupId:artifactId} of the migrator's roots. */
  public static final List<String> ROOTS = List.of("org.flywaydb:flyway-core",
      "org.flywaydb:flyway-database-postgresql", "org.postgresql:postgresql");
}
