package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/** Builds the Flyway instances every goal (and the image's migrator) uses, configured the same way. */
final class Flyways {
  private Flyways() {}

  /** The undo scripts' prefix: {@code U<version>__<description>.sql}. */
  static final String UNDO_PREFIX = "U";

  static FluentConfiguration configure(DbTarget target, MigrationSpec spec, String applicationName, BuildLog log) {
    return configure(Connections.dataSource(target, applicationName), spec, log);
  }

  /** As {@link #configure(DbTarget, MigrationSpec, String, BuildLog)} on connections of {@code dataSource}. */
  static FluentConfiguration configure(DataSource dataSource, MigrationSpec spec, BuildLog log) {
    FlywayLogBridge.use(log);
    FluentConfiguration c = Flyway.configure(spec.classLoader())
        // load() resets Flyway's log creator to the configured loggers: keep its lines on the bridge
        .loggers(FlywayLogBridge.LOGGER)
        .dataSource(dataSource)
        .callbacks(new SessionSettings(spec.lockTimeoutSeconds()))
        .locations(spec.locations().toArray(String[]::new))
        .table(spec.table())
        .connectRetries(0)
        // Flyway retries its advisory lock once a second
        .lockRetryCount(spec.lockTimeoutSeconds())
        .failOnMissingLocations(true)
        .cleanDisabled(true)
        // U<version>__*.sql undo scripts sit next to the migrations: Flyway Community would call them misnamed
        .validateMigrationNaming(false);
    if (!spec.schemas().isEmpty()) {
      c.schemas(spec.schemas().toArray(String[]::new));
    }
    // a session-level lock instead of a lock held in an open transaction: with the transactional lock, CREATE INDEX
    // CONCURRENTLY waits forever for the lock's own transaction to finish
    c.getPluginRegister().getExact(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
    return c;
  }

  /**
   * Flyway's {@code afterConnect} callback (what replaces the deprecated {@code initSql}): the session settings of
   * {@link Connections#INIT_SQL}, and every statement waits at most {@code lockTimeout} for a lock another session
   * holds, then fails (and its transaction rolls back) instead of waiting silently without limit. With the session
   * lock ({@code transactionalLock=false}) Flyway runs everything on this one connection.
   */
  static final class SessionSettings implements Callback {
    private final int lockTimeoutSeconds;

    SessionSettings(int lockTimeoutSeconds) {
      this.lockTimeoutSeconds = lockTimeoutSeconds;
    }

    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.AFTER_CONNECT;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      try (Statement st = context.getConnection().createStatement()) {
        st.execute(Connections.INIT_SQL);
        st.execute("SET lock_timeout = '" + lockTimeoutSeconds + "s'");
      } catch (SQLException e) {
        throw new FlywayException("Cannot apply the session settings (lock_timeout): " + e.getMessage(), e);
      }
    }

    @Override
    public String getCallbackName() {
      return "devplugin session settings";
    }
  }

  static Flyway migrations(DbTarget target, MigrationSpec spec, String applicationName, BuildLog log) {
    return withJava(configure(target, spec, applicationName, log), spec).load();
  }

  /**
   * The migrations on connections of {@code dataSource}, with what {@code scan} found that Flyway does not find by
   * itself ({@code scan} null for a Flyway configured before the scan ended: what it adds is then added by configuring
   * again, see {@link MigrationScan#addsToFlyway}), and Flyway's resources from {@code resources} (null: Flyway lists
   * and reads them itself on every command), listed once here.
   */
  static Flyway migrations(DataSource dataSource, MigrationSpec spec, MigrationScan scan,
      ScannedResources resources, BuildLog log) {
    FluentConfiguration c = configure(dataSource, spec, log);
    if (scan != null) {
      scan.addTo(c);
    }
    if (resources != null) {
      resources.setOn(c);
    }
    Flyway flyway = c.load();
    if (resources != null) {
      try {
        resources.list(flyway.getConfiguration());
      } catch (LinkageError e) {
        // ScannedResources uses Flyway's internal scanner: a Flyway other than the plugin's (a newer one named as a
        // plugin dependency, README) may have changed it; that Flyway then lists and reads the scripts itself
        log.debug("Flyway lists and reads the migration scripts itself: its internal scanner is not the one devplugin"
            + " was built with (" + e + ").");
        return migrations(dataSource, spec, scan, null, log);
      }
    }
    return flyway;
  }

  /** Adds the Java migrations and callbacks Flyway does not find by itself ({@link MigrationScan}). */
  private static FluentConfiguration withJava(FluentConfiguration c, MigrationSpec spec) {
    MigrationScan.of(spec).addTo(c);
    return c;
  }

  /** Migrations up to and including {@code version} only. */
  static Flyway migrationsUpTo(DbTarget target, MigrationSpec spec, String applicationName, BuildLog log,
      MigrationVersion version) {
    return withJava(configure(target, spec, applicationName, log), spec).target(version).load();
  }

  /**
   * A Flyway that resolves the undo scripts ({@code U<version>__*.sql}) as if they were migrations: Flyway parses
   * and executes them (placeholders, PostgreSQL's dollar quoting, statement-by-statement errors), but nothing ever
   * calls {@code migrate()} on it.
   */
  static Flyway undoScripts(DbTarget target, MigrationSpec spec, String applicationName, BuildLog log) {
    return configure(target, spec, applicationName, log).sqlMigrationPrefix(UNDO_PREFIX)
        .validateMigrationNaming(false).load();
  }
}
