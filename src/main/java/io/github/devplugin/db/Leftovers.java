package io.github.devplugin.db;

import io.github.devplugin.core.UserError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What an interrupted non-transactional migration or undo script leaves behind (a killed {@code CREATE INDEX
 * CONCURRENTLY} or {@code DROP INDEX CONCURRENTLY}, a statement of a non-transactional script that failed half way):
 * INVALID indexes in the managed schemas, and history rows of failed migrations. {@code repair} removes them;
 * {@code migrate} and {@code rollback} refuse to start on them and name {@code repair} as the fix.
 */
public final class Leftovers {
  /** The command that fixes what {@link #find} reports. */
  public static final String REPAIR_COMMAND = "mvn devplugin:repair";

  private Leftovers() {}

  /**
   * One thing to fix.
   *
   * @param what for people: {@code INVALID index public.notes_text_idx on public.notes}
   * @param fix the SQL statement that removes it
   * @param transactional false when {@code fix} cannot run inside a transaction
   */
  public record Leftover(String what, String fix, boolean transactional) {}

  /**
   * INVALID indexes in {@code schemas} whose build is not running right now, and failed rows of the history table
   * {@code schemas[0].table}; changes nothing.
   */
  public static List<Leftover> find(Connection c, List<String> schemas, String table) throws SQLException {
    List<Leftover> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT n.nspname, ic.relname, tn.nspname, tc.relname"
        + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace"
        + " JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace"
        + " WHERE NOT i.indisvalid AND n.nspname = ANY (?)"
        + " AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)"
        + " ORDER BY n.nspname, ic.relname")) {
      st.setArray(1, c.createArrayOf("text", schemas.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Leftover("INVALID index " + rs.getString(1) + "." + rs.getString(2) + " on " + rs.getString(3)
              + "." + rs.getString(4) + " (left by an interrupted CREATE or DROP INDEX CONCURRENTLY)",
              "DROP INDEX CONCURRENTLY IF EXISTS " + Rollback.qualified(rs.getString(1), rs.getString(2)), false));
        }
      }
    }
    String history = Rollback.qualified(schemas.get(0), table);
    boolean hasHistory;
    try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      st.setString(1, history);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        hasHistory = rs.getBoolean(1);
      }
    }
    if (hasHistory) {
      try (PreparedStatement st = c.prepareStatement("SELECT installed_rank, version, script FROM " + history
          + " WHERE NOT success ORDER BY installed_rank")) {
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            out.add(new Leftover("failed history row of version " + rs.getString(2) + " ("
                + MigrationErrors.fileName(rs.getString(3)) + ", installed_rank " + rs.getInt(1) + ")",
                "DELETE FROM " + history + " WHERE installed_rank = " + rs.getInt(1) + " AND NOT success", true));
          }
        }
      }
    }
    return out;
  }

  /** The schemas a goal works on: the configured ones, else the managed schema alone. */
  static List<String> schemas(Connection c, MigrationSpec spec) {
    return spec.schemas().isEmpty() ? List.of(Migrator.managedSchema(c, spec)) : spec.schemas();
  }

  /**
   * Refuses to go on when {@link #find} reports anything: {@code goal} would fail on it or build on a broken schema.
   * One line for {@code migrate}: {@code Leftovers.refuse(connection, spec, "migrate");}
   */
  public static void refuse(Connection c, MigrationSpec spec, String goal) throws SQLException {
    List<Leftover> found = find(c, schemas(c, spec), spec.table());
    if (!found.isEmpty()) {
      throw new UserError(message(goal, found));
    }
  }

  static String message(String goal, List<Leftover> found) {
    StringBuilder sb = new StringBuilder(goal + " refused, nothing was changed: an interrupted non-transactional"
        + " migration or undo left ");
    for (int i = 0; i < found.size(); i++) {
      sb.append(i == 0 ? "" : "; ").append(found.get(i).what());
    }
    return sb.append(". Fix: run ").append(REPAIR_COMMAND).append(" (add -Ddevplugin.repair.dryRun=true to see what"
        + " it does first), then ").append(goal).append(" again.").toString();
  }
}
