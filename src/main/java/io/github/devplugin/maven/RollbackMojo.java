package io.github.devplugin.maven;

import io.github.devplugin.db.RollbackGoal;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Undoes applied migrations with their paired {@code U<version>__*.sql} scripts, newest first, each in one
 * transaction together with the removal of its schema history row, recorded in the table
 * {@code devplugin_rollback_history}; a later {@code migrate} re-applies them. An undo script that cannot run in a
 * transaction ({@code DROP INDEX CONCURRENTLY}) runs outside one. A missing undo script, a Java or baseline migration,
 * or what an interrupted migration left refuses the whole rollback before anything changes; a rollback that fails
 * part way names the versions undone and those still applied. Alternatively restores a {@code pg_dump} backup of this
 * database with {@code pg_restore}, with owners, grants and extensions.
 */
@Mojo(name = "rollback", threadSafe = true)
public class RollbackMojo extends AbstractDevpluginMojo {

  /** Undo the newest N applied migrations. Property {@code devplugin.rollback.count}; no default. */
  @Parameter(property = RollbackGoal.COUNT_PROPERTY)
  private Integer count;

  /**
   * Undo every applied migration newer than this version (which stays applied; {@code 0} undoes all). Property
   * {@code devplugin.rollback.to}; no default.
   */
  @Parameter(property = RollbackGoal.TO_PROPERTY)
  private String to;

  /**
   * Instead of undo scripts, restore this backup (a {@code .dump} written by {@code migrate}'s backup; its
   * {@code .sha256} is verified; a backup of another database is refused), or {@code latest} for the newest backup
   * of this database in {@code <database><backupDirectory>}: the backed-up schemas are replaced in one transaction.
   * Property {@code devplugin.rollback.backup}; no default.
   */
  @Parameter(property = RollbackGoal.BACKUP_PROPERTY)
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
    RollbackGoal.run(goal.config(), goal.secrets(), goal.log(), new RollbackGoal.Request(count, to, backupFile));
  }
}
