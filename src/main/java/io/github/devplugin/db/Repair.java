package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Removes what an interrupted non-transactional migration or undo left ({@link Leftovers}), under Flyway's migration
 * lock so that no migrator runs meanwhile: INVALID indexes are dropped with {@code DROP INDEX CONCURRENTLY} (outside a
 * transaction), failed history rows deleted. The next {@code migrate} then runs the interrupted migration again.
 */
public final class Repair {
  private final DbTarget target;
  private final MigrationSpec spec;
  private final BuildLog log;
  private final String applicationName;

  public Repair(DbTarget target, MigrationSpec spec, BuildLog log) {
    this.target = target;
    this.spec = spec;
    this.log = log;
    this.applicationName = Migrator.applicationName("repair");
  }

  /**
   * @param dryRun only report what would be done
   * @return what was found (and, unless {@code dryRun}, fixed)
   */
  public List<Leftovers.Leftover> run(boolean dryRun) {
    try (Connection c = Connections.open(target, applicationName)) {
      String schema = Migrator.managedSchema(c, spec);
      long key = MigrationLock.key(schema, spec.table());
      MigrationLock.acquire(c, key, applicationName, spec.lockTimeoutSeconds(), log);
      try {
        List<Leftovers.Leftover> found = Leftovers.find(c, Leftovers.schemas(c, spec), spec.table());
        if (found.isEmpty()) {
          log.info("Nothing to repair in " + target.hostAndPort() + "/" + target.database() + ": no INVALID index in"
              + " schema " + String.join(", ", Leftovers.schemas(c, spec)) + ", no failed row in " + spec.table()
              + ".");
          return found;
        }
        log.info((dryRun ? "Dry run: repair would fix " : "Repairing ") + found.size() + " leftover"
            + (found.size() == 1 ? "" : "s") + " of an interrupted migration in " + target.hostAndPort() + "/"
            + target.database() + ":");
        for (Leftovers.Leftover l : found) {
          log.info("  " + l.what() + ": " + l.fix());
        }
        if (dryRun) {
          log.info("Nothing was changed (-Ddevplugin.repair.dryRun). Run without it to apply these statements.");
          return found;
        }
        try (Statement st = c.createStatement()) {
          for (Leftovers.Leftover l : found) {
            st.execute(l.fix());
          }
        }
        log.info("Repaired " + found.size() + " leftover" + (found.size() == 1 ? "" : "s") + "; devplugin:migrate"
            + " now runs the interrupted migrations again.");
        return found;
      } finally {
        MigrationLock.release(c, key);
      }
    } catch (SQLException e) {
      throw Connections.connectionError(target, e);
    }
  }
}
