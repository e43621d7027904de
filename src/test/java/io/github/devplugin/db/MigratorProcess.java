package io.github.devplugin.db;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link MigratorMain} as a plain Java process, the way the image runs it: a class path of only the migrator's
 * jars (this module's classes, Flyway, the PostgreSQL driver and what they need), no Maven.
 */
final class MigratorProcess {
  private MigratorProcess() {}

  /** The class path entries the migrator needs; everything Maven, Plexus, JUnit and the rest is left out. */
  static String classPath() {
    List<String> keep = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      if (e.endsWith("/target/classes") || e.contains("/org/flywaydb/") || e.contains("/org/postgresql/")) {
        keep.add(entry);
      }
    }
    return String.join(File.pathSeparator, keep);
  }

  static Process start(DbTarget target, Path locations, Path output, Map<String, String> extraEnv)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath(), "io.github.devplugin.db.MigratorMain"));
    pb.environment().put("DATABASE_URL", target.url());
    pb.environment().put("DATABASE_USER", target.user());
    pb.environment().put("DATABASE_PASSWORD", target.password());
    pb.environment().put("FLYWAY_LOCATIONS", "filesystem:" + locations.toAbsolutePath());
    pb.environment().putAll(extraEnv);
    pb.redirectErrorStream(true);
    pb.redirectOutput(output.toFile());
    return pb.start();
  }
}
