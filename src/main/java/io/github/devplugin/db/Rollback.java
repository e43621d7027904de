package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.executor.Context;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.internal.info.MigrationInfoImpl;

/**
 * Undoes applied migrations with their paired {@code U<version>__*.sql} scripts, newest first. Each undo runs in
 * one transaction together with the removal of its schema history row and a row in the audit table
 * ({@value MigrationSpec#AUDIT_TABLE}), under Flyway's migration lock; an undo script holding a statement that cannot
 * run in a transaction ({@code DROP INDEX CONCURRENTLY}) runs outside one, as Flyway runs such migrations, and its
 * history row is removed right after. Everything is checked before anything changes: a missing undo script, a Java,
 * baseline or failed migration, or what an interrupted migration left ({@link Leftovers}) refuses the whole rollback.
 * A rollback that fails part way says which versions were undone and which are still applied.
 */
public final class Rollback {
  private final DbTarget target;
  private final MigrationSpec spec;
  private final BuildLog log;
  private final String applicationName;

  public Rollback(DbTarget target, MigrationSpec spec, BuildLog log) {
    this.target = target;
    this.spec = spec;
    this.log = log;
    this.applicationName = Migrator.applicationName("rollback");
  }

  /** How far to roll back: the newest {@code count} migrations, or every migration newer than {@code toVersion}. */
  public record Request(Integer count, String toVersion) {
    public Request {
      if ((count == null) == (toVersion == null)) {
        throw new UserError("Say how far to roll back with exactly one of -D" + RollbackGoal.COUNT_PROPERTY
            + "=N (undo the newest N migrations) or -D" + RollbackGoal.TO_PROPERTY + "=VERSION (undo everything"
            + " newer than VERSION), or restore a backup with -D" + RollbackGoal.BACKUP_PROPERTY + "=FILE.");
      }
      if (count != null && count < 1) {
        throw new UserError("-D" + RollbackGoal.COUNT_PROPERTY + "=" + count + " must be 1 or more.");
      }
    }
  }

  /** One undone migration. */
  public record Undone(String version, String description, String undoScript, long millis) {}

  /** The result: what was undone, and the status afterwards. */
  public record Outcome(List<Undone> undone, List<Migrator.Row> rows, String schemaVersion) {}

  /** What would be undone, in order, with the undo scripts, or a refusal; changes nothing. */
  record Step(MigrationInfo applied, ResolvedMigration undo) {}

  public Outcome run(Request request, Path backupDirectory) {
    try (Connection c = Connections.open(target, applicationName)) {
      String schema = Migrator.managedSchema(c, spec);
      Flyway flyway = Flyways.migrations(target, spec, applicationName, log);
      long key = MigrationLock.key(schema, spec.table());
      MigrationLock.acquire(c, key, applicationName, spec.lockTimeoutSeconds(), log);
      try {
        Leftovers.refuse(c, spec, "rollback");
        List<Step> steps = plan(flyway, Flyways.undoScripts(target, spec, applicationName, log), request,
            backupDirectory);
        List<Undone> undone = new ArrayList<>();
        if (steps.isEmpty()) {
          log.info("Nothing to roll back: schema \"" + schema + "\" is at version " + Migrator.currentVersion(flyway)
              + ".");
        } else {
          ensureAuditTable(c, schema);
          searchManagedSchemaFirst(c, schema);
          for (int i = 0; i < steps.size(); i++) {
            try {
              undone.add(undo(c, schema, steps.get(i), flyway.getConfiguration()));
            } catch (UserError e) {
              throw new UserError(e.getMessage() + "\n" + partial(undone, steps.subList(i, steps.size())), e);
            }
          }
        }
        org.flywaydb.core.api.MigrationInfoService after =
            Flyways.migrations(target, spec, applicationName, log).info();
        return new Outcome(undone, Migrator.rows(after.all(), java.util.Set.of()), Migrator.currentVersion(after));
      } finally {
        MigrationLock.release(c, key);
      }
    } catch (FlywayException e) {
      throw MigrationErrors.migrateFailed(e, target);
    } catch (SQLException e) {
      throw Connections.connectionError(target, e);
    }
  }

  List<Step> plan(Flyway flyway, Flyway undoFlyway, Request request, Path backupDirectory) {
    List<MigrationInfo> applied = new ArrayList<>();
    for (MigrationInfo i : flyway.info().applied()) {
      // the baseline stays in the list: asking to undo it is refused by name below
      if (i.getVersion() != null && i.getType() != null && (i.getType().isBaseline() || !i.getType().isSynthetic())) {
        applied.add(i);
      }
    }
    applied.sort(Comparator.comparing(MigrationInfo::getInstalledRank).reversed());
    List<MigrationInfo> targets = new ArrayList<>();
    if (request.count() != null) {
      if (request.count() > applied.size()) {
        throw new UserError("-D" + RollbackGoal.COUNT_PROPERTY + "=" + request.count() + " asks for more than the "
            + applied.size() + " applied migration" + (applied.size() == 1 ? "" : "s") + ". Fix: use a count from 1 to "
            + applied.size() + ", or -D" + RollbackGoal.TO_PROPERTY + "=VERSION.");
      }
      targets.addAll(applied.subList(0, request.count()));
    } else {
      MigrationVersion to;
      try {
        to = MigrationVersion.fromVersion(request.toVersion());
      } catch (RuntimeException e) {
        throw new UserError("-D" + RollbackGoal.TO_PROPERTY + "=" + request.toVersion() + " is not a migration"
            + " version. Fix: give a version such as 3 or 1.2 (the part between V and __ of a migration's file name).");
      }
      for (MigrationInfo i : applied) {
        if (i.getVersion().compareTo(to) > 0) {
          targets.add(i);
        }
      }
    }
    Map<String, ResolvedMigration> undoByVersion = new HashMap<>();
    for (MigrationInfo i : undoFlyway.info().all()) {
      if (i instanceof MigrationInfoImpl impl && impl.getResolvedMigration() != null && i.getVersion() != null) {
        undoByVersion.put(i.getVersion().getVersion(), impl.getResolvedMigration());
      }
    }
    List<String> problems = new ArrayList<>();
    java.util.Set<String> fixes = new java.util.LinkedHashSet<>();
    List<Path> backups = backupDirectory == null ? List.of() : Backups.list(backupDirectory);
    String restore = "restore a backup taken before these migrations with -D" + RollbackGoal.BACKUP_PROPERTY
        + "=FILE (pg_restore)" + (backups.isEmpty() ? "" : "; the newest backup is " + backups.get(0));
    List<Step> steps = new ArrayList<>();
    for (MigrationInfo t : targets) {
      String v = t.getVersion().getVersion();
      String script = MigrationErrors.fileName(t.getScript());
      if (t.getType().isBaseline()) {
        problems.add("version " + v + " is Flyway's baseline, which has no undo");
        fixes.add("roll back only the migrations after the baseline (-D" + RollbackGoal.TO_PROPERTY + "=" + v + ")");
        continue;
      }
      if (t.getState() == MigrationState.FAILED || t.getState().isFailed()) {
        problems.add("version " + v + " (" + script + ") is recorded as failed");
        fixes.add("run " + Leftovers.REPAIR_COMMAND + " first");
        continue;
      }
      if (!"SQL".equals(t.getType().name())) {
        problems.add("version " + v + " (" + script + ") is a Java migration (" + t.getType() + "), which has no"
            + " undo script");
        fixes.add("roll back only the migrations after it, or " + restore);
        continue;
      }
      ResolvedMigration undo = undoByVersion.get(v);
      if (undo == null) {
        problems.add("version " + v + " (" + script + ") has no undo script U" + v + "__" + undoName(t) + ".sql");
        fixes.add("add the missing undo script next to the migrations, or " + restore);
        continue;
      }
      steps.add(new Step(t, undo));
    }
    if (!problems.isEmpty()) {
      throw new UserError("Rollback refused, nothing was changed: " + String.join("; ", problems) + ". Fix: "
          + String.join("; or ", fixes) + ".");
    }
    return steps;
  }

  /** What a rollback that stopped at {@code remaining.get(0)} did and did not do. */
  static String partial(List<Undone> undone, List<Step> remaining) {
    List<String> left = new ArrayList<>();
    for (Step s : remaining) {
      left.add(s.applied().getVersion().getVersion());
    }
    return (undone.isEmpty() ? "No version was undone"
        : "Undone before the failure (committed): version" + (undone.size() == 1 ? " " : "s ")
            + String.join(", ", undone.stream().map(Undone::version).toList()))
        + "; still applied of those requested: version" + (left.size() == 1 ? " " : "s ") + String.join(", ", left)
        + ".";
  }

  private static String undoName(MigrationInfo t) {
    String script = MigrationErrors.fileName(t.getScript());
    int sep = script.indexOf("__");
    return sep < 0 ? t.getDescription().replace(' ', '_') : script.substring(sep + 2, script.length() - 4);
  }

  /**
   * With {@code <schemas>}, Flyway runs the migrations with the first schema in front of the search path (extended,
   * not replaced): the undo scripts run the same way, so that their unqualified names mean what the migrations' did.
   */
  private void searchManagedSchemaFirst(Connection c, String schema) throws SQLException {
    if (spec.schemas().isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('search_path', quote_ident(?)"
        + " || coalesce(', ' || nullif(current_setting('search_path'), ''), ''), false)")) {
      ps.setString(1, schema);
      ps.executeQuery().close();
    }
  }

  private void ensureAuditTable(Connection c, String schema) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + qualified(schema, MigrationSpec.AUDIT_TABLE) + " ("
          + " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          + " version VARCHAR(50) NOT NULL,"
          + " description VARCHAR(200),"
          + " migration_script VARCHAR(1000),"
          + " migration_checksum INTEGER,"
          + " migration_installed_on TIMESTAMP,"
          + " undo_script VARCHAR(1000) NOT NULL,"
          + " undo_checksum INTEGER,"
          + " undone_by VARCHAR(100) NOT NULL DEFAULT current_user,"
          + " undone_on TIMESTAMP NOT NULL DEFAULT now(),"
          + " execution_time INTEGER NOT NULL,"
          + " client VARCHAR(100))");
    }
  }

  private Undone undo(Connection c, String schema, Step s, Configuration configuration) {
    String v = s.applied().getVersion().getVersion();
    String undoScript = MigrationErrors.fileName(s.undo().getScript());
    boolean inTransaction = s.undo().getExecutor().canExecuteInTransaction();
    log.info("Undoing version " + v + " (" + s.applied().getDescription() + ") with " + undoScript
        + (inTransaction ? "" : " (outside a transaction: it holds a statement that cannot run in one)"));
    long start = System.nanoTime();
    Context context = new Context() {
      @Override
      public Configuration getConfiguration() {
        return configuration;
      }

      @Override
      public Connection getConnection() {
        return c;
      }
    };
    boolean scriptDone = false;
    try {
      if (!inTransaction) {
        // as Flyway runs a non-transactional migration: statement by statement in autocommit; the history row goes
        // in its own transaction afterwards
        s.undo().getExecutor().execute(context);
        scriptDone = true;
      }
      c.setAutoCommit(false);
      if (inTransaction) {
        s.undo().getExecutor().execute(context);
      }
      int ms = (int) ((System.nanoTime() - start) / 1_000_000);
      try (PreparedStatement del = c.prepareStatement("DELETE FROM " + qualified(schema, spec.table())
          + " WHERE installed_rank = ?")) {
        del.setInt(1, s.applied().getInstalledRank());
        if (del.executeUpdate() != 1) {
          throw new SQLException("the history row of version " + v + " (installed_rank "
              + s.applied().getInstalledRank() + ") changed while rolling back", "40001");
        }
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + qualified(schema, MigrationSpec.AUDIT_TABLE)
          + " (version, description, migration_script, migration_checksum, migration_installed_on, undo_script,"
          + " undo_checksum, execution_time, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ins.setString(1, v);
        ins.setString(2, s.applied().getDescription());
        ins.setString(3, s.applied().getScript());
        ins.setObject(4, s.applied().getChecksum());
        ins.setTimestamp(5, s.applied().getInstalledOn() == null ? null
            : new java.sql.Timestamp(s.applied().getInstalledOn().getTime()));
        ins.setString(6, s.undo().getScript());
        ins.setObject(7, s.undo().getChecksum());
        ins.setInt(8, ms);
        ins.setString(9, applicationName);
        ins.executeUpdate();
      }
      c.commit();
      return new Undone(v, s.applied().getDescription(), undoScript, ms);
    } catch (SQLException | FlywayException e) {
      try {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      } catch (SQLException ignored) {
        // the connection is gone; PostgreSQL rolls the transaction back with it
      }
      if (Connections.isConnectionFailure(e) && !(e instanceof FlywayException)) {
        throw Connections.connectionError(target, e);
      }
      MigrationErrors.Failure f = MigrationErrors.failure(e, undoScript);
      if (inTransaction) {
        throw new UserError("Undo " + f.describe() + "\nThe undo of version " + v + " was rolled back as a whole:"
            + " version " + v + " is still applied and the schema is as it was before this undo. Fix: correct "
            + undoScript + " and run rollback again.", e);
      }
      throw new UserError("Undo " + f.describe() + "\n" + undoScript + " ran outside a transaction (it holds a"
          + " statement that cannot run in one): " + (scriptDone ? "it ran to its end, but its history row could"
              + " not be removed" : "the statements before the failing one took effect") + ", and version " + v
          + " is still recorded as applied. Fix: correct " + undoScript + " so that it can run again (e.g. DROP"
          + " INDEX CONCURRENTLY IF EXISTS), run " + Leftovers.REPAIR_COMMAND + " if it reports an INVALID index,"
          + " and run rollback again.", e);
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // reported by the next statement, if any
      }
    }
  }

  static String qualified(String schema, String table) {
    return "\"" + schema.replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"") + "\"";
  }

  /**
   * Restores a backup under the migration lock, replacing the backed-up schemas: {@code dump}, or with null the newest
   * backup of this database in {@code directory}. A backup of another database is refused.
   */
  public Outcome restore(Path dump, Path directory, PgTools tools) {
    try (Connection c = Connections.open(target, applicationName)) {
      String schema = Migrator.managedSchema(c, spec);
      Backups.ServerVersion server = Backups.serverVersion(c);
      Backups.Identity here = Backups.Identity.of(target, server);
      Path file = dump == null ? Backups.latest(directory, here, log) : dump;
      if (dump != null) {
        Backups.requireSameDatabase(dump, here, log);
      }
      long key = MigrationLock.key(schema, spec.table());
      MigrationLock.acquire(c, key, applicationName, spec.lockTimeoutSeconds(), log);
      try {
        Backups.restore(target, tools, server, file, log);
      } finally {
        MigrationLock.release(c, key);
      }
      org.flywaydb.core.api.MigrationInfoService after =
          Flyways.migrations(target, spec, applicationName, log).info();
      return new Outcome(List.of(), Migrator.rows(after.all(), java.util.Set.of()), Migrator.currentVersion(after));
    } catch (FlywayException e) {
      throw MigrationErrors.migrateFailed(e, target);
    } catch (SQLException e) {
      throw new EnvironmentError("Restore failed: " + Connections.firstLine(e.getMessage()), e);
    }
  }
}
