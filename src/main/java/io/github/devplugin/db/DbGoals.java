package io.github.devplugin.db;

import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UserError;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the database goals ({@link MigrateGoal}, {@link RollbackGoal}, {@link VerifyMigrationsGoal}) share: whether the
 * service has a database, the target database with its credentials (the password precedence), and the migration
 * settings.
 */
final class DbGoals {
  private DbGoals() {}

  /** The environment variable holding the database password (second in precedence). */
  static final String PASSWORD_VARIABLE = "DEVPLUGIN_DB_PASSWORD";

  /** True when the goal has nothing to do because the service has no database; logs why. */
  static boolean disabled(EffectiveConfig config, String goalName, BuildLog log) {
    if (!config.database().enabled()) {
      log.info("Skipping devplugin:" + goalName + ": the service has no database (<database><enabled> is"
          + " false, or there is no src/main/resources/db/migration).");
      return true;
    }
    return false;
  }

  /**
   * The environment's database: the URL and user from the configuration (with their overrides), the password as in
   * {@link #connect}.
   */
  static DbTarget target(EffectiveConfig config, Secrets secrets) {
    DatabaseSettings db = config.database();
    if (db.url() == null) {
      throw new UserError("No database URL for environment '" + config.environment() + "'. Fix: set <database><url>"
          + "jdbc:postgresql://HOST:5432/" + db.name() + "</url> (under <environments><" + config.environment()
          + "> for this environment only), or pass -D" + OverrideProperties.property("database.url").orElseThrow()
          + "=JDBC_URL.");
    }
    return connect(db, db.url(), db.origins().url(), secrets).withEnvironment(config.environment());
  }

  /**
   * A target on {@code url} with the environment's credentials. The user is {@code <database><user>} when set, else
   * the {@code settings.xml} server's username, else the default user. The password comes from the first of: the
   * {@code settings.xml} server {@code <database><serverId>} (when its password is not empty), the environment
   * variable {@value #PASSWORD_VARIABLE}, the declared secret {@code <database><passwordSecret>}; with none of them
   * there is no password (trust or peer authentication), and a refused login names all three.
   *
   * @throws UserError when {@code <serverId>} names no server, or the declared secret has no value
   */
  static DbTarget connect(DatabaseSettings db, String url, String urlSetting, Secrets secrets) {
    String user = db.user();
    String userSetting = db.origins().user();
    String password = null;
    String passwordSetting = "no password (give one with <database><serverId>, the environment variable "
        + PASSWORD_VARIABLE + " or <database><passwordSecret>)";
    if (db.serverId() != null) {
      Optional<Secrets.ServerCredentials> server = secrets.server(db.serverId());
      if (server.isEmpty()) {
        throw new UserError("There is no <server> with <id>" + db.serverId() + "</id> in settings.xml ("
            + db.origins().serverId() + "). Fix: add it to ~/.m2/settings.xml with the database's <username> and"
            + " <password> (encrypted with mvn --encrypt-password), or correct the id.");
      }
      if (!db.origins().userSet() && server.get().username() != null && !server.get().username().isBlank()) {
        user = server.get().username();
        userSetting = "the username of settings.xml server '" + db.serverId() + "'";
      }
      password = server.get().password();
      passwordSetting = "the password of settings.xml server '" + db.serverId() + "' (" + db.origins().serverId()
          + ")";
    }
    if (password == null || password.isEmpty()) {
      Optional<String> env = secrets.credentialFromEnvironment(PASSWORD_VARIABLE);
      if (env.isPresent()) {
        password = env.get();
        passwordSetting = "the environment variable " + PASSWORD_VARIABLE;
      } else if (db.passwordSecret() != null) {
        password = secrets.value(db.passwordSecret()).orElse(null);
        passwordSetting = "the secret " + db.passwordSecret() + " (<database><passwordSecret>)";
      }
    }
    return new DbTarget(url, user, password, urlSetting, userSetting, passwordSetting, db.connectTimeoutSeconds())
        .maskWith(secrets.masker());
  }

  /** The migration settings, with {@code classpath:} locations read from the project's compiled resources. */
  static MigrationSpec spec(EffectiveConfig config) {
    DatabaseSettings db = config.database();
    return new MigrationSpec(MigrationSpec.resolveLocations(db.locations(), config.project().basedir()),
        db.schemas(), db.table(), db.lockTimeoutSeconds(), classLoader(config.project().outputDirectory()));
  }

  /**
   * The migration settings, with {@code classpath:} locations and Java migrations read from the project's compiled
   * classes and its runtime classpath ({@code runtimeClasspath}: jars and directories, the output directory first).
   */
  static MigrationSpec spec(EffectiveConfig config, java.util.List<Path> runtimeClasspath) {
    DatabaseSettings db = config.database();
    java.util.List<URL> urls = new java.util.ArrayList<>();
    java.util.List<Path> entries = new java.util.ArrayList<>();
    entries.add(config.project().outputDirectory());
    entries.addAll(runtimeClasspath);
    for (Path p : entries.stream().distinct().toList()) {
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    return new MigrationSpec(MigrationSpec.resolveLocations(db.locations(), config.project().basedir()),
        db.schemas(), db.table(), db.lockTimeoutSeconds(),
        new URLClassLoader(urls.toArray(URL[]::new), DbGoals.class.getClassLoader()));
  }

  private static ClassLoader classLoader(Path outputDirectory) {
    try {
      return new URLClassLoader(new URL[] {outputDirectory.toUri().toURL()}, DbGoals.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  static PgTools tools(DatabaseSettings db) {
    return new PgTools(db.pgBinDirectory());
  }

  static Path backupDirectory(DatabaseSettings db) {
    return Path.of(db.backupDirectory());
  }
}
