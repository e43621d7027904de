package io.github.devplugin.db;

import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.UpToDate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code migrate}'s decision that nothing is pending without Flyway, when the last migrate that Flyway checked left
 * the same state: the stamp ({@code stamps/migrate-<environment>.fingerprint}) holds the fingerprint of the target
 * (URL, user, managed and configured schemas, history table), every file under the locations with the content of
 * every migration ({@link MigrationScan#sqlOnlyFingerprint}) and every column of every row of the schema history
 * table. Equal fingerprints mean the files and the history table are what Flyway found up to date last time, so
 * Flyway would find nothing to apply, validate or report differently now: its configuration, its second reading of
 * the scripts and its history read are skipped. The stamp is recorded only after a migrate that Flyway ran, and
 * only when the table that run logged is exactly the one {@link #read} builds from the history rows (every row a
 * successful SQL versioned migration); with a Java migration, a callback, a {@code classpath:} location, a
 * repeatable, a baseline or anything else Flyway decides on every run.
 */
final class MigrateStamp {
  private final UpToDate stamp;
  private final String inputs;

  private MigrateStamp(UpToDate stamp, String inputs) {
    this.stamp = stamp;
    this.inputs = inputs;
  }

  /** The history table as the stamp sees it: the rows of the migrations table, the current version, a digest. */
  record History(List<Migrator.Row> rows, String currentVersion, String digest) {}

  /** The check for {@code scan}'s migrations on {@code target}; empty when the scan found what Flyway must decide. */
  static Optional<MigrateStamp> of(UpToDate stamp, DbTarget target, MigrationSpec spec, String schema,
      MigrationScan scan) {
    if (stamp == null) {
      return Optional.empty();
    }
    return scan.sqlOnlyFingerprint().map(files -> new MigrateStamp(stamp, Fingerprint.start()
        .add("url", target.url()).add("user", target.user()).add("schema", schema).add("schemas", spec.schemas())
        .add("table", spec.table())
        .add("locations", spec.locations()).add("files", files).hex()));
  }

  /** The history when it equals the one recorded after the last migrate Flyway checked; empty otherwise. */
  Optional<History> upToDate(Connection c, String schema, String table) throws SQLException {
    Optional<History> h = read(c, schema, table);
    return h.filter(history -> stamp.isUpToDate(fingerprint(history)));
  }

  /**
   * Records the state a migrate that Flyway ran left, when {@code flywayRows} (its table, applied-now flags aside)
   * and {@code flywayVersion} are exactly what {@link #read} gives from the history table.
   */
  void recordIfPlain(Connection c, String schema, String table, List<Migrator.Row> flywayRows, String flywayVersion)
      throws SQLException {
    Optional<History> h = read(c, schema, table);
    List<Migrator.Row> seen = flywayRows.stream().map(r -> new Migrator.Row(r.version(), r.description(), r.type(),
        r.state(), r.installedOn(), r.executionTimeMs(), false)).toList();
    if (h.isPresent() && h.get().rows().equals(seen) && h.get().currentVersion().equals(flywayVersion)) {
      record(h.get());
    }
  }

  /** Records {@code history}, read after a migrate Flyway ran and found to be all of its table. */
  void record(History history) {
    stamp.record(fingerprint(history));
  }

  private String fingerprint(History h) {
    return Fingerprint.start().add("inputs", inputs).add("history", h.digest()).hex();
  }

  /** Whether the schema history table {@code schema.table} exists. */
  static boolean exists(Connection c, String schema, String table) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('"
        + Rollback.qualified(schema, table).replace("'", "''") + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /**
   * The history table's rows when every one is a successful SQL versioned migration (the table Flyway's
   * {@code info()} shows for them), in Flyway's order (installed rank); empty when the table is absent or holds
   * anything else.
   */
  static Optional<History> read(Connection c, String schema, String table) throws SQLException {
    if (!exists(c, schema, table)) {
      return Optional.empty();
    }
    String history = Rollback.qualified(schema, table);
    try (Statement st = c.createStatement()) {
      Fingerprint digest = Fingerprint.start();
      List<Migrator.Row> rows = new ArrayList<>();
      MigrationVersion current = null;
      boolean plain = true;
      try (ResultSet rs = st.executeQuery("SELECT installed_rank, version, description, type, script, checksum,"
          + " installed_by, installed_on, execution_time, success FROM " + history + " ORDER BY installed_rank")) {
        while (rs.next()) {
          for (int i = 1; i <= 10; i++) {
            digest.add(String.valueOf(i), rs.getString(i));
          }
          String version = rs.getString(2);
          java.sql.Timestamp on = rs.getTimestamp(8);
          int time = rs.getInt(9);
          if (version == null || !"SQL".equals(rs.getString(4)) || !rs.getBoolean(10) || on == null) {
            plain = false;
            continue;
          }
          MigrationVersion v = MigrationVersion.fromVersion(version);
          current = current == null || v.compareTo(current) > 0 ? v : current;
          rows.add(new Migrator.Row(v.getVersion(), rs.getString(3), "SQL", "success", Migrator.installedOn(on),
              time, false));
        }
      }
      if (!plain || current == null) {
        return Optional.empty();
      }
      return Optional.of(new History(List.copyOf(rows), current.getVersion(), digest.hex()));
    }
  }
}
