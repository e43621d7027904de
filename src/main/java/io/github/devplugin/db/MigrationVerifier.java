package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UserError;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Proves that every undo script restores the schema its migration changed, in the spirit of Liquibase's
 * {@code updateTestingRollback}: on an empty throwaway database, applies the migrations one by one, recording the
 * catalog before each; then, from the newest down, undoes each one and compares the catalog with the one recorded
 * before it; finally migrates forward again and compares with the fully migrated catalog.
 */
public final class MigrationVerifier {
  private final BuildLog log;

  public MigrationVerifier(BuildLog log) {
    this.log = log;
  }

  /** What was checked. */
  public record Result(List<String> versions, int comparisons) {}

  public Result verify(DbTarget target, MigrationSpec spec) {
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
      return new Result(versions, comparisons);
    } catch (FlywayException e) {
      RuntimeException mapped = MigrationErrors.migrateFailed(e, target);
      throw mapped instanceof UserError u ? new UserError("Migration check failed: " + u.getMessage(), e) : mapped;
    } catch (SQLException e) {
      throw Connections.connectionError(target, e);
    }
  }
}
