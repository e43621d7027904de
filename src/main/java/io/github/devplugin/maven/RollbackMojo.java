package io.github.devplugin.maven;

import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.core.UserError;
import io.github.devplugin.db.DbTarget;
import io.github.devplugin.db.Migrator;
import io.github.devplugin.db.Rollback;
import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Undoes applied migrations with their paired {@code U<version>__*.sql} scripts, newest first, each in one
 * transaction together with the removal of its schema history row, recorded in the table
 * {@code devplugin_rollback_history}; a later {@code migrate} re-applies them. A missing undo script refuses the
 * whole rollback before anything changes. Alternatively restores a {@code pg_dump} backup with {@code pg_restore}.
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractDevpluginMojo {

  /** Undo the newest N applied migrations. Property {@code devplugin.rollback.count}; no default. */
  @Parameter(property = "devplugin.rollback.count")
  private Integer count;

  /**
   * Undo every applied migration newer than this version (which stays applied; {@code 0} undoes all). Property
   * {@code devplugin.rollback.to}; no default.
   */
  @Parameter(property = "devplugin.rollback.to")
  private String to;

  /**
   * Instead of undo scripts, restore this backup (a {@code .dump} written by {@code migrate}'s backup; its
   * {@code .sha256} is verified), or {@code latest} for the newest backup in {@code <database><backupDirectory>}:
   * the backed-up schemas are replaced in one transaction. Property {@code devplugin.rollback.backup}; no default.
   */
  @Parameter(property = "devplugin.rollback.backup")
  private String backupFile;

  /** Skips this goal. Property {@code devplugin.rollback.skip}, default false. */
  @Parameter(property = "devplugin.rollback.skip", defaultValue = "false")
  private boolean skipRollback;

  @Inject
  public RollbackMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "rollback";
  }

  @Override
  protected boolean goalSkipped() {
    return skipRollback;
  }

  @Override
  protected void run(Goal goal) {
    if (DbGoals.disabled(goal, goalName())) {
      return;
    }
    DatabaseSettings db = goal.config().database();
    DbTarget target = DbGoals.target(goal.config(), goal.secrets());
    Rollback rollback = new Rollback(target, DbGoals.spec(goal.config()), goal.log());
    Rollback.Outcome outcome;
    if (backupFile != null && !backupFile.isBlank()) {
      if (count != null || to != null) {
        throw new UserError("-Ddevplugin.rollback.backup restores a backup; it cannot be combined with"
            + " -Ddevplugin.rollback.count or -Ddevplugin.rollback.to. Fix: give only one of them.");
      }
      Path file = Path.of(backupFile);
      if (backupFile.equals("latest")) {
        java.util.List<Path> backups = io.github.devplugin.db.Backups.list(DbGoals.backupDirectory(db));
        if (backups.isEmpty()) {
          throw new UserError("-Ddevplugin.rollback.backup=latest: there is no backup in " + db.backupDirectory()
              + ". Fix: give the backup file's path, or check <database><backupDirectory>.");
        }
        file = backups.get(0);
        goal.log().info("The newest backup is " + file);
      } else if (!file.isAbsolute()) {
        file = goal.config().project().basedir().resolve(file);
      }
      outcome = rollback.restore(file, DbGoals.tools(db));
    } else {
      outcome = rollback.run(new Rollback.Request(count, to == null || to.isBlank() ? null : to.strip()),
          DbGoals.backupDirectory(db));
      if (!outcome.undone().isEmpty()) {
        goal.log().info("Rolled back " + outcome.undone().size() + " migration"
            + (outcome.undone().size() == 1 ? "" : "s") + "; schema is now at version " + outcome.schemaVersion()
            + ". devplugin:migrate re-applies them.");
      }
    }
    for (String line : Migrator.table(outcome.rows(), 20)) {
      goal.log().info(line);
    }
  }
}
