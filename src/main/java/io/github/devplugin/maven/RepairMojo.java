package io.github.devplugin.maven;

import io.github.devplugin.db.RepairGoal;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Fixes what an interrupted non-transactional migration or undo script left in the environment's database (a killed
 * {@code CREATE INDEX CONCURRENTLY} or {@code DROP INDEX CONCURRENTLY}): drops INVALID indexes in the managed schemas
 * with {@code DROP INDEX CONCURRENTLY} and deletes failed rows of the schema history table, under the migration lock.
 * Lists every statement before running it; {@code migrate} then runs the interrupted migration again.
 */
@Mojo(name = "repair", threadSafe = true)
public class RepairMojo extends AbstractDevpluginMojo {

  /** Lists what would be repaired and changes nothing. Property {@code devplugin.repair.dryRun}, default false. */
  @Parameter(property = RepairGoal.DRY_RUN_PROPERTY, defaultValue = "false")
  private boolean dryRun;

  /** Skips this goal. Property {@code devplugin.repair.skip}, default false. */
  @Parameter(property = "devplugin.repair.skip", defaultValue = "false")
  private boolean skipRepair;

  @Inject
  public RepairMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "repair";
  }

  @Override
  protected boolean goalSkipped() {
    return skipRepair;
  }

  @Override
  protected void run(Goal goal) {
    RepairGoal.run(goal.config(), goal.secrets(), goal.log(), dryRun);
  }
}
