package io.github.devplugin.db;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What Flyway needs besides the connection: where the migrations are, which schemas and history table, how long to
 * wait for another migrator's lock, and the class loader that {@code classpath:} locations are read from.
 *
 * @param locations Flyway locations with absolute {@code filesystem:} paths or {@code classpath:} prefixes
 * @param schemas managed schemas (empty: the connection's current schema)
 * @param table schema history table
 * @param lockTimeoutSeconds wait for the migration lock at most this long
 * @param classLoader where {@code classpath:} locations are looked up
 */
public record MigrationSpec(List<String> locations, List<String> schemas, String table, int lockTimeoutSeconds,
    ClassLoader classLoader) {

  /** Name of the table recording what {@code rollback} undid (next to the history table). */
  public static final String AUDIT_TABLE = "devplugin_rollback_history";

  public MigrationSpec {
    locations = List.copyOf(locations);
    schemas = List.copyOf(schemas);
    classLoader = classLoader == null ? MigrationSpec.class.getClassLoader() : classLoader;
  }

  /** Locations as written in configuration, with relative {@code filesystem:} paths made absolute. */
  public static List<String> resolveLocations(List<String> configured, Path basedir) {
    List<String> out = new ArrayList<>();
    for (String l : configured) {
      if (l.startsWith("filesystem:")) {
        Path p = Path.of(l.substring("filesystem:".length()));
        out.add("filesystem:" + (p.isAbsolute() ? p : basedir.resolve(p)).normalize());
      } else {
        out.add(l);
      }
    }
    return out;
  }

  /** The filesystem directories among the locations (for fingerprints and messages). */
  public List<Path> directories() {
    return locations.stream().filter(l -> l.startsWith("filesystem:"))
        .map(l -> Path.of(l.substring("filesystem:".length()))).toList();
  }
}
