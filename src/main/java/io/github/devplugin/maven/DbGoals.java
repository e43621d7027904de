package io.github.devplugin.maven;

import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.UserError;
import io.github.devplugin.db.DbTarget;
import io.github.devplugin.db.MigrationSpec;
import io.github.devplugin.db.PgTools;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Optional;

/** What the database goals share: the target database with its credentials, and the migration settings. */
final class DbGoals {
  private DbGoals() {}

  static final String PASSWORD_VARIABLE = "DEVPLUGIN_DB_PASSWORD";

  /** True when the goal has nothing to do because the service has no database; logs why. */
  static boolean disabled(AbstractDevpluginMojo.Goal goal, String goalName) {
    if (!goal.config().database().enabled()) {
      goal.log().info("Skipping devplugin:" + goalName + ": the service has no database (<database><enabled> is"
          + " false, or there is no src/main/resources/db/migration).");
      return true;
    }
    return false;
  }

  /**
   * The environment's database: the URL and user from the configuration ({@code -Ddevplugin.db.*} overrides), the
   * password from the {@code settings.xml} server, else {@code DEVPLUGIN_DB_PASSWORD}, else the declared secret
   * named by {@code <passwordSecret>}.
   */
  static DbTarget target(EffectiveConfig config, Secrets secrets) {
    DatabaseSettings db = config.database();
    if (db.url() == null) {
      throw new UserError("No database URL for environment '" + config.environment() + "'. Fix: set <database><url>"
          + "jdbc:postgresql://HOST:5432/" + db.name() + "</url> (under <environments><" + config.environment()
          + "> for this environment only), or pass -Ddevplugin.db.url=JDBC_URL.");
    }
    return connect(db, db.url(), db.origins().url(), db.user(), db.origins().user(), db.origins().userSet(),
        secrets);
  }

  /** A target on another URL (the migration check's server) with the environment's credentials. */
  static DbTarget connect(DatabaseSettings db, String url, String urlSetting, String user, String userSetting,
      boolean userSet, Secrets secrets) {
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
      if (!userSet && server.get().username() != null && !server.get().username().isBlank()) {
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

  static MigrationSpec spec(EffectiveConfig config) {
    DatabaseSettings db = config.database();
    ClassLoader classes = classLoader(config.project().outputDirectory());
    return new MigrationSpec(MigrationSpec.resolveLocations(db.locations(), config.project().basedir()),
        db.schemas(), db.table(), db.lockTimeoutSeconds(), classes);
  }

  /** {@code classpath:} locations are read from the project's compiled resources ({@code target/classes}). */
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
