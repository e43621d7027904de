package io.github.devplugin.maven;

import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.db.MigrateGoal;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Applies the pending Flyway migrations to the environment's PostgreSQL database and prints what is applied and
 * pending. Takes a {@code pg_dump} backup first where the environment asks for one ({@code <database><backup>},
 * {@code true} by default in {@code prod}) and only when something is pending. Uses a session-level migration lock,
 * so {@code CREATE INDEX CONCURRENTLY} completes, and logs who holds the lock while it waits.
 */
@Mojo(name = "migrate", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true,
    requiresDependencyResolution = ResolutionScope.RUNTIME)
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

  /**
   * Overrides {@code <database><lockTimeout>}: seconds a migration statement may wait for a lock another session
   * holds (and for another migrator's lock) before the migration fails, naming the session holding it. Property
   * {@code devplugin.db.lockTimeout}; default: {@code <database><lockTimeout>} (30).
   */
  @Parameter(property = "devplugin.db.lockTimeout")
  private String lockTimeout;

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
    override(out, "database.lockTimeout", lockTimeout, "lockTimeout");
  }

  @Override
  protected void run(Goal goal) {
    MigrateGoal.run(goal.config(), goal.secrets(), goal.log(), dryRun, runtimeClasspath(project));
  }

  /** The project's runtime classpath (output directory first), what its Java migrations need to load. */
  static List<java.nio.file.Path> runtimeClasspath(org.apache.maven.project.MavenProject project) {
    try {
      return project.getRuntimeClasspathElements().stream().map(java.nio.file.Path::of).toList();
    } catch (org.apache.maven.artifact.DependencyResolutionRequiredException e) {
      throw new io.github.devplugin.core.EnvironmentError("The project's runtime dependencies are not resolved: "
          + e.getMessage() + ". Fix: run the goal from a build that resolves them (mvn verify, or mvn"
          + " devplugin:migrate in the project's directory).", e);
    }
  }
}
