package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UserError;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Proves the migrations on an empty throwaway database: each applies, and every undo script restores the schema its
 * migration changed, in the spirit of Liquibase's {@code updateTestingRollback}. The files and classes are checked
 * first as {@code migrate} checks them ({@link MigrationScan}).
 *
 * <ul>
 *   <li>Every migration has an undo script: applies the migrations one by one, recording the catalog before each;
 *       then, from the newest down, undoes each one and compares the catalog with the one recorded before it;
 *       finally migrates forward again and compares with the fully migrated catalog.
 *   <li>No undo script at all (forward-only, the Flyway default): applies the migrations one by one, then the
 *       repeatable ones, and validates the checksums of what was applied.
 *   <li>Some have one: applies the migrations one by one; right after each that has an undo script, undoes it,
 *       compares the catalog with the one before it, and applies it again.
 * </ul>
 */
public final class MigrationVerifier {
  private final BuildLog log;

  public MigrationVerifier(BuildLog log) {
    this.log = log;
  }

  /**
   * What was checked.
   *
   * @param versions every versioned migration applied
   * @param comparisons catalog comparisons made
   * @param undone the versions whose undo script was checked (empty: forward-only)
   */
  public record Result(List<String> versions, int comparisons, List<String> undone) {
    public Result(List<String> versions, int comparisons) {
      this(versions, comparisons, versions);
    }

    public Result {
      versions = List.copyOf(versions);
      undone = List.copyOf(undone);
    }

    /** True when no migration has an undo script: each was only proven to apply. */
    public boolean forwardOnly() {
      return undone.isEmpty() && !versions.isEmpty();
    }
  }

  public Result verify(DbTarget target, MigrationSpec spec) {
    MigrationScan scan = MigrationScan.of(spec);
    for (String warning : scan.warnings()) {
      log.warn(warning);
    }
    scan.check("checked");
    String app = Migrator.applicationName("verify-migrations");
    List<String> excluded = List.of(spec.table(), MigrationSpec.AUDIT_TABLE);
    try (Connection c = Connections.open(target, app)) {
      List<String> schemas = spec.schemas().isEmpty() ? List.of(Migrator.managedSchema(c, spec)) : spec.schemas();
      Flyway all = Flyways.migrations(target, spec, app, log);
      if (all.info().applied().length > 0) {
        throw new UserError("The database to check the migrations on (" + target.urlSetting() + ") already has"
            + " applied migrations. Fix: give an empty, throwaway database, or none to use the embedded PostgreSQL.");
      }
      List<MigrationInfo> versioned = new ArrayList<>();
      for (MigrationInfo i : all.info().pending()) {
        if (i.getVersion() != null) {
          versioned.add(i);
        }
      }
      if (versioned.isEmpty()) {
        log.info("No versioned migrations in " + String.join(", ", spec.locations()) + ": nothing to check.");
        return new Result(List.of(), 0);
      }
      Set<MigrationVersion> withUndo = scan.undoVersions();
      boolean allUndo = versioned.stream().allMatch(i -> withUndo.contains(i.getVersion()));
      if (!allUndo) {
        return stepByStep(target, spec, app, c, schemas, excluded, versioned, withUndo);
      }
      Map<String, CatalogSnapshot> before = new LinkedHashMap<>();
      Map<String, String> scripts = new LinkedHashMap<>();
      for (MigrationInfo i : versioned) {
        String v = i.getVersion().getVersion();
        before.put(v, CatalogSnapshot.take(c, schemas, excluded));
        scripts.put(v, MigrationErrors.fileName(i.getScript()));
        Flyways.migrationsUpTo(target, spec, app, log, i.getVersion()).migrate();
      }
      CatalogSnapshot migrated = CatalogSnapshot.take(c, schemas, excluded);
      log.info("Applied " + versioned.size() + " migration" + (versioned.size() == 1 ? "" : "s")
          + "; undoing them one by one from the newest and comparing the catalog.");
      int comparisons = 0;
      List<String> versions = new ArrayList<>(before.keySet());
      for (int k = versions.size() - 1; k >= 0; k--) {
        String v = versions.get(k);
        Rollback.Outcome undone;
        try {
          undone = new Rollback(target, spec, BuildLog.NONE).run(new Rollback.Request(1, null), null);
          FlywayLogBridge.use(log); // the silent rollback pointed this thread's Flyway lines at nobody
        } catch (UserError e) {
          throw new UserError("Migration check failed for " + scripts.get(v) + ": " + e.getMessage(), e);
        }
        String undoScript = undone.undone().get(0).undoScript();
        List<String> diff = CatalogSnapshot.take(c, schemas, excluded).diff(before.get(v));
        comparisons++;
        if (!diff.isEmpty()) {
          throw new UserError(undoScript + " does not undo " + scripts.get(v) + ": after it the schema differs from"
              + " the schema before " + scripts.get(v) + ":\n  " + String.join("\n  ", diff)
              + "\nFix: make " + undoScript + " reverse every change of " + scripts.get(v) + ".");
        }
        log.info("  " + undoScript + " restores the schema before " + scripts.get(v));
      }
      Flyways.migrations(target, spec, app, log).migrate();
      List<String> diff = CatalogSnapshot.take(c, schemas, excluded).diff(migrated);
      comparisons++;
      if (!diff.isEmpty()) {
        throw new UserError("Migrating forward again after undoing every migration gives a different schema than"
            + " the first time:\n  " + String.join("\n  ", diff) + "\nFix: an undo script leaves something behind"
            + " that changes how a migration applies; make the undo scripts remove everything their migration"
            + " created.");
      }
      log.info("  re-applying all " + versioned.size() + " migration" + (versioned.size() == 1 ? "" : "s")
          + " gives the same schema again");
      Migrator.validate(Flyways.migrations(target, spec, app, log));
      return new Result(versions, comparisons);
    } catch (FlywayException e) {
      RuntimeException mapped = MigrationErrors.migrateFailed(e, target);
      throw mapped instanceof UserError u ? new UserError("Migration check failed: " + u.getMessage(), e) : mapped;
    } catch (SQLException e) {
      throw Connections.connectionError(target, e);
    }
  }

  /**
   * Forward-only or mixed: applies the migrations one by one (each proven to apply on its own); right after one that
   * has an undo script, undoes it, compares the catalog with the one before it and applies it again. Then the
   * repeatable migrations, and the checksums of everything applied are validated.
   */
  private Result stepByStep(DbTarget target, MigrationSpec spec, String app, Connection c, List<String> schemas,
      List<String> excluded, List<MigrationInfo> versioned, Set<MigrationVersion> withUndo) throws SQLException {
    if (withUndo.isEmpty()) {
      log.info("No undo scripts (U<version>__<description>.sql): checking forward only, that each of the "
          + versioned.size() + " migration" + (versioned.size() == 1 ? "" : "s")
          + " applies on an empty database and that the checksums match.");
    } else {
      log.info(withUndo.size() + " of " + versioned.size() + " migrations have an undo script: checking those undo"
          + " scripts right after their migration, the others forward only.");
    }
    List<String> versions = new ArrayList<>();
    List<String> undone = new ArrayList<>();
    int comparisons = 0;
    for (MigrationInfo i : versioned) {
      String v = i.getVersion().getVersion();
      String script = MigrationErrors.fileName(i.getScript());
      versions.add(v);
      CatalogSnapshot before = CatalogSnapshot.take(c, schemas, excluded);
      Flyways.migrationsUpTo(target, spec, app, log, i.getVersion()).migrate();
      if (!withUndo.contains(i.getVersion())) {
        log.info("  " + script + " applies" + (withUndo.isEmpty() ? "" : " (no undo script: checked forward only)"));
        continue;
      }
      CatalogSnapshot after = CatalogSnapshot.take(c, schemas, excluded);
      Rollback.Outcome out;
      try {
        out = new Rollback(target, spec, BuildLog.NONE).run(new Rollback.Request(1, null), null);
        FlywayLogBridge.use(log); // the silent rollback pointed this thread's Flyway lines at nobody
      } catch (UserError e) {
        throw new UserError("Migration check failed for " + script + ": " + e.getMessage(), e);
      }
      String undoScript = out.undone().get(0).undoScript();
      List<String> diff = CatalogSnapshot.take(c, schemas, excluded).diff(before);
      comparisons++;
      if (!diff.isEmpty()) {
        throw new UserError(undoScript + " does not undo " + script + ": after it the schema differs from the schema"
            + " before " + script + ":\n  " + String.join("\n  ", diff) + "\nFix: make " + undoScript
            + " reverse every change of " + script + ".");
      }
      Flyways.migrationsUpTo(target, spec, app, log, i.getVersion()).migrate();
      diff = CatalogSnapshot.take(c, schemas, excluded).diff(after);
      comparisons++;
      if (!diff.isEmpty()) {
        throw new UserError("Applying " + script + " again after " + undoScript + " gives a different schema than"
            + " the first time:\n  " + String.join("\n  ", diff) + "\nFix: make " + undoScript + " remove"
            + " everything " + script + " created.");
      }
      undone.add(v);
      log.info("  " + undoScript + " restores the schema before " + script);
    }
    Flyway all = Flyways.migrations(target, spec, app, log);
    all.migrate();
    Migrator.validate(all);
    return new Result(versions, comparisons, undone);
  }
}
