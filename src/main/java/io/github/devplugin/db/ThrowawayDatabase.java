package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UserError;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/** A uniquely named database created on a given server for one check, and dropped afterwards. */
public final class ThrowawayDatabase implements AutoCloseable {
  private final DbTarget server;
  private final DbTarget target;
  private final BuildLog log;

  private ThrowawayDatabase(DbTarget server, DbTarget target, BuildLog log) {
    this.server = server;
    this.target = target;
    this.log = log;
  }

  public static ThrowawayDatabase create(DbTarget server, BuildLog log) {
    String name = "devplugin_check_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    try (Connection c = Connections.open(server, "devplugin verify-migrations");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new UserError("Cannot create a throwaway database on " + server.hostAndPort() + " ("
          + server.urlSetting() + ") as '" + server.user() + "': " + Connections.firstLine(e.getMessage())
          + ". Fix: the user needs CREATEDB (ALTER ROLE " + server.user() + " CREATEDB), or leave out "
          + server.urlSetting() + " to use the embedded PostgreSQL.", e);
    }
    log.info("Checking the migrations in the throwaway database " + name + " on " + server.hostAndPort() + ".");
    return new ThrowawayDatabase(server, server.withDatabase(name), log);
  }

  public DbTarget target() {
    return target;
  }

  @Override
  public void close() {
    try (Connection c = Connections.open(server, "devplugin verify-migrations")) {
      drop(c, target.database());
    } catch (SQLException | RuntimeException e) {
      log.warn("Could not drop the throwaway database " + target.database() + ": " + e.getMessage());
    }
  }

  /**
   * Drops a database, ending the sessions still connected to it. {@code WITH (FORCE)} refuses to signal sessions the
   * user has no rights over, autovacuum workers included (SQLSTATE 42501) unless the user has
   * {@code pg_signal_backend}; plain {@code DROP DATABASE} stops autovacuum by itself, so it is the fallback, retried
   * briefly while such a worker shuts down.
   */
  static void drop(Connection c, String database) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      return;
    } catch (SQLException e) {
      if (!"42501".equals(e.getSQLState())) {
        throw e;
      }
    }
    SQLException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      try (Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + database);
        return;
      } catch (SQLException e) {
        last = e;
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }
}
