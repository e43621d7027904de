package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source {@code migrate} gives Flyway: its first connection can be opened ahead ({@link #openAhead}), on a
 * thread of its own, while Flyway's configuration loads and the migration scan reads the files, so that Flyway's
 * {@code migrate()} does not start by waiting for a login (TCP, SCRAM, the session's parameters). That connection is
 * exactly what {@code source} gives, unused; Flyway applies its session settings to it as to any connection it opens
 * ({@link Flyways.SessionSettings}). Every later connection, and the first when opening it ahead failed or it was
 * closed meanwhile, is opened when Flyway asks, so a failure reaches Flyway as it always did. A connection opened
 * ahead that Flyway never takes is closed by {@link #close}.
 */
final class FlywayDataSource implements DataSource {
  private final DataSource source;
  private final BuildLog log;
  private Background<Connection> ahead;
  private boolean closed;

  FlywayDataSource(DataSource source, BuildLog log) {
    this.source = source;
    this.log = log;
  }

  /** Starts opening Flyway's first connection on a thread of its own (once, and never after {@link #close}). */
  synchronized void openAhead() {
    if (ahead != null || closed) {
      return;
    }
    ahead = Background.start("devplugin-migrate-flyway-connect", () -> {
      try {
        return source.getConnection();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Override
  public Connection getConnection() throws SQLException {
    Background<Connection> first;
    synchronized (this) {
      first = ahead;
      ahead = null;
    }
    if (first != null) {
      try {
        Connection c = first.get();
        if (!c.isClosed()) {
          log.debug("Flyway's first connection was opened while its configuration loaded.");
          return c;
        }
      } catch (RuntimeException e) {
        // opened again below, where a failure reaches Flyway as its own connection's failure
      }
    }
    return source.getConnection();
  }

  /** Closes the connection opened ahead when Flyway never took it; opens none after this. */
  void close() {
    Background<Connection> first;
    synchronized (this) {
      closed = true;
      first = ahead;
      ahead = null;
    }
    if (first != null) {
      first.abandon(Migrator::closeQuietly);
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return source.getConnection(username, password);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return source.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    source.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    source.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return source.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return source.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : source.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || source.isWrapperFor(iface);
  }
}
