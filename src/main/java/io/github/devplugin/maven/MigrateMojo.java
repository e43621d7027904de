package io.github.devplugin.maven;

import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.db.MigrateGoal;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Applies the pending Flyway migrations to the environment's PostgreSQL database and prints what is applied and
 * pending. Takes a {@code pg_dump} backup first where the environment asks for one ({@code <database><backup>},
 * {@code true} by default in {@code prod}) and only when something is pending. Uses a session-level migration lock,
 * so {@code CREATE INDEX CONCURRENTLY} completes, and logs who holds the lock while it waits.
 */
@Mojo(name = "migrate", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class MigrateMojo extends AbstractDevpluginMojo {

  /** Lists the pending migrations and changes nothing. Property {@code devplugin.migrate.dryRun}, default false. */
  @Parameter(property = MigrateGoal.DRY_RUN_PROPERTY, defaultValue = "false")
  private boolean dryRun;

  /**
   * Overrides {@code <database><backup>}: {@code true} takes a {@code pg_dump} backup before migrating, {@code false}
   * does not. Property {@code devplugin.migrate.backup}; default: the environment's {@code <database><backup>}
   * ({@code true} in {@code prod}).
   */
  @Parameter(property = "devplugin.migrate.backup")
  private Boolean backup;

  /** Skips this goal. Property {@code devplugin.migrate.skip}, default false. */
  @Parameter(property = "devplugin.migrate.skip", defaultValue = "false")
  private boolean skipMigrate;

  @Inject
  public MigrateMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "migrate";
  }

  @Override
  protected boolean goalSkipped() {
    return skipMigrate;
  }

  @Override
  protected void goalOverrides(List<ConfigLoader.Override> out) {
    override(out, "database.backup", backup == null ? null : backup.toString(), "backup");
  }

  @Override
  protected void run(Goal goal) {
    MigrateGoal.run(goal.config(), goal.secrets(), goal.log(), dryRun);
  }
}
