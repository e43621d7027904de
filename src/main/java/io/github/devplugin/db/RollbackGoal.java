package io.github.devplugin.db;

import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UserError;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code rollback} goal without Maven: undoes applied migrations with their undo scripts (the newest
 * {@code count}, or down to a version), or restores a backup ({@code latest}: the newest backup of this database in
 * {@code <database><backupDirectory>}), and logs the table of migrations.
 */
public final class RollbackGoal {
  /** The goal's own flags (no configuration keys), named once for the parameters and every message. */
  public static final String COUNT_PROPERTY = "devplugin.rollback.count";
  public static final String TO_PROPERTY = "devplugin.rollback.to";
  public static final String BACKUP_PROPERTY = "devplugin.rollback.backup";

  /** The {@link Request#backup()} that names the newest backup. */
  public static final String LATEST = "latest";

  private RollbackGoal() {}

  /**
   * What to roll back: exactly one of {@code count}, {@code to} (each may be null) or {@code backup} (a file, relative
   * to the project directory, or {@link #LATEST}).
   */
  public record Request(Integer count, String to, String backup) {
    public Request {
      to = to == null || to.isBlank() ? null : to.strip();
      backup = backup == null || backup.isBlank() ? null : backup;
    }
  }

  /** @return the outcome, or empty when the service has no database */
  public static Optional<Rollback.Outcome> run(EffectiveConfig config, Secrets secrets, BuildLog log,
      Request request) {
    if (DbGoals.disabled(config, "rollback", log)) {
      return Optional.empty();
    }
    DatabaseSettings db = config.database();
    if (request.backup() != null && (request.count() != null || request.to() != null)) {
      throw new UserError("-D" + BACKUP_PROPERTY + " restores a backup; it cannot be combined with -D"
          + COUNT_PROPERTY + " or -D" + TO_PROPERTY + ". Fix: give only one of them.");
    }
    DbTarget target = DbGoals.target(config, secrets);
    Rollback rollback = new Rollback(target, DbGoals.spec(config), log);
    Rollback.Outcome outcome;
    if (request.backup() != null) {
      outcome = rollback.restore(backupFile(request.backup(), config.project().basedir()),
          DbGoals.backupDirectory(db), DbGoals.tools(db));
    } else {
      outcome = rollback.run(new Rollback.Request(request.count(), request.to()), DbGoals.backupDirectory(db));
      if (!outcome.undone().isEmpty()) {
        log.info("Rolled back " + outcome.undone().size() + " migration"
            + (outcome.undone().size() == 1 ? "" : "s") + "; schema is now at version " + outcome.schemaVersion()
            + ". devplugin:migrate re-applies them.");
      }
    }
    for (String line : Migrator.table(outcome.rows(), 20)) {
      log.info(line);
    }
    return Optional.of(outcome);
  }

  /** The backup to restore: null for {@link #LATEST} (the newest backup of this database), else the file, relative to
   * {@code basedir}. */
  static Path backupFile(String backup, Path basedir) {
    if (backup.equals(LATEST)) {
      return null;
    }
    Path file = Path.of(backup);
    return file.isAbsolute() ? file : basedir.resolve(file);
  }
}
