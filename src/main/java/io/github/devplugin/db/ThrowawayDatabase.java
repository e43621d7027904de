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
    try (Connection c = Connections.open(server, "devplugin verify-migrations");
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + target.database() + " WITH (FORCE)");
    } catch (SQLException | RuntimeException e) {
      log.warn("Could not drop the throwaway database " + target.database() + ": " + e.getMessage());
    }
  }
}
