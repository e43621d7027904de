package io.github.devplugin.db;

import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UpToDate;
import java.nio.file.Path;
import java.util.List;
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

  /** As {@link #run(EffectiveConfig, Secrets, BuildLog, boolean, List)} with only the project's output directory. */
  public static Optional<Migrator.Outcome> run(EffectiveConfig config, Secrets secrets, BuildLog log,
      boolean dryRun) {
    return run(config, secrets, log, dryRun, List.of());
  }

  /**
   * @param runtimeClasspath the project's runtime classpath (jars and directories) besides its output directory:
   *     what its Java migrations and callbacks need to load
   * @return the outcome, or empty when the service has no database
   */
  public static Optional<Migrator.Outcome> run(EffectiveConfig config, Secrets secrets, BuildLog log,
      boolean dryRun, List<Path> runtimeClasspath) {
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
    Migrator.Outcome outcome = new Migrator(target, DbGoals.spec(config, runtimeClasspath), log,
        config.where("database.lockTimeout"),
        UpToDate.forGoal(config.project().devpluginDirectory(), "migrate", config.environment()))
        .migrate(dryRun, request);
    // the table is built only to be shown (not under mvn -q)
    if (log.isInfoEnabled()) {
      for (String line : Migrator.table(outcome.rows(), 20)) {
        log.info(line);
      }
    }
    return Optional.of(outcome);
  }
}
