package io.github.devplugin.db;

import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import java.util.Optional;

/**
 * The {@code migrate} goal without Maven: applies the pending migrations to the environment's database, with a
 * {@code pg_dump} backup first when {@code <database><backup>} (or its override) asks for one, and logs the table of
 * migrations.
 */
public final class MigrateGoal {
  /** The goal's own flag (no configuration key): list what is pending, change nothing. */
  public static final String DRY_RUN_PROPERTY = "devplugin.migrate.dryRun";

  private MigrateGoal() {}

  /** @return the outcome, or empty when the service has no database */
  public static Optional<Migrator.Outcome> run(EffectiveConfig config, Secrets secrets, BuildLog log,
      boolean dryRun) {
    if (DbGoals.disabled(config, "migrate", log)) {
      return Optional.empty();
    }
    DatabaseSettings db = config.database();
    DbTarget target = DbGoals.target(config, secrets);
    Migrator.BackupRequest request = db.backup() && !dryRun
        ? new Migrator.BackupRequest(DbGoals.backupDirectory(db), DbGoals.tools(db)) : null;
    if (!db.backup()) {
      log.debug("No backup before migrating: " + config.where("database.backup") + " is false for environment '"
          + config.environment() + "'.");
    }
    Migrator.Outcome outcome = new Migrator(target, DbGoals.spec(config), log).migrate(dryRun, request);
    for (String line : Migrator.table(outcome.rows(), 20)) {
      log.info(line);
    }
    return Optional.of(outcome);
  }
}
