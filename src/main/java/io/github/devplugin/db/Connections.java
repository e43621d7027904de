package io.github.devplugin.db;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens connections to a {@link DbTarget} with bounded connect and login timeouts, a recognisable application name
 * (other migrators waiting for the lock see who holds it), and a server-side check that ends the session soon after
 * the client process dies (so a killed migrator does not hold the migration lock for the rest of its statement).
 * Turns connection failures into messages that name the setting to fix.
 */
public final class Connections {
  private Connections() {}

  /**
   * Run on every new connection: PostgreSQL 14+ checks every 5 s whether the client is still there while a statement
   * runs, and ends the session (releasing its locks) when it is not. Older servers do not have the setting.
   */
  public static final String INIT_SQL = "DO $devplugin$ BEGIN IF current_setting('server_version_num')::int >= 140000"
      + " THEN PERFORM set_config('client_connection_check_interval', '5000', false); END IF; END $devplugin$";

  /** A data source for the target; every connection it opens names {@code applicationName}. */
  public static DataSource dataSource(DbTarget target, String applicationName) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(target.url());
    ds.setUser(target.user());
    if (target.password() != null) {
      ds.setPassword(target.password());
    }
    ds.setConnectTimeout(target.connectTimeoutSeconds());
    ds.setLoginTimeout(target.connectTimeoutSeconds());
    ds.setApplicationName(applicationName);
    ds.setTcpKeepAlive(true);
    return ds;
  }

  /** Opens a connection (autocommit on) or fails with a message naming the setting to fix. */
  public static Connection open(DbTarget target, String applicationName) {
    try {
      Connection c = dataSource(target, applicationName).getConnection();
      try (Statement st = c.createStatement()) {
        st.execute(INIT_SQL);
      }
      return c;
    } catch (SQLException e) {
      throw connectionError(target, e);
    }
  }

  /** Properties for {@code java.sql.DriverManager}-style callers. */
  static Properties properties(DbTarget target, String applicationName) {
    Properties p = new Properties();
    p.setProperty("user", target.user());
    if (target.password() != null) {
      p.setProperty("password", target.password());
    }
    p.setProperty("connectTimeout", String.valueOf(target.connectTimeoutSeconds()));
    p.setProperty("loginTimeout", String.valueOf(target.connectTimeoutSeconds()));
    p.setProperty("ApplicationName", applicationName);
    return p;
  }

  /** True when the failure is about reaching or logging in to the server, not about a statement. */
  public static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.startsWith("28") || state.equals("3D000")) {
          return true;
        }
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketTimeoutException
          || t instanceof NoRouteToHostException) {
        return true;
      }
    }
    return false;
  }

  /** The error for a failed connection: wrong credentials name the user and password settings, never the value. */
  public static RuntimeException connectionError(DbTarget target, Throwable e) {
    SQLException sql = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (sql == null && t instanceof SQLException s && s.getSQLState() != null) {
        sql = s;
      }
      root = t;
    }
    String state = sql == null ? "" : sql.getSQLState();
    String where = "PostgreSQL at " + target.hostAndPort() + " (" + target.urlSetting() + ")";
    if (state.equals("28P01")) {
      return new UserError("Cannot log in to " + where + " as '" + target.user() + "' (" + target.userSetting()
          + "): the password was rejected. Fix: check the password given by " + target.passwordSetting() + ".", e);
    }
    if (state.startsWith("28")) {
      return new UserError("Cannot log in to " + where + " as '" + target.user() + "' (" + target.userSetting()
          + "): " + firstLine(sql.getMessage()) + ". Fix: check " + target.userSetting() + " and "
          + target.passwordSetting() + ", and that the server allows this user (pg_hba.conf).", e);
    }
    if ((target.password() == null || target.password().isEmpty()) && sql != null && sql.getMessage() != null
        && sql.getMessage().contains("no password was provided")) {
      return new UserError("PostgreSQL at " + target.hostAndPort() + " asks for a password for '" + target.user()
          + "' (" + target.userSetting() + "), and none is configured: " + target.passwordSetting() + ". Fix: give"
          + " the password with <database><serverId> (a settings.xml server), <database><passwordSecret> or the"
          + " environment variable DEVPLUGIN_DB_PASSWORD.", e);
    }
    if (state.equals("3D000")) {
      return new UserError("The database '" + target.database() + "' does not exist on " + where
          + ". Fix: create it, or correct the database name in " + target.urlSetting() + ".", e);
    }
    if (root instanceof UnknownHostException) {
      return new EnvironmentError("Cannot reach " + where + ": unknown host '" + root.getMessage()
          + "'. Fix: correct the host in " + target.urlSetting() + ".", e);
    }
    if (root instanceof SocketTimeoutException || (sql != null && sql.getMessage() != null
        && sql.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out"))) {
      return new EnvironmentError("Cannot reach " + where + ": no answer within " + target.connectTimeoutSeconds()
          + " s. Fix: check the host and port in " + target.urlSetting()
          + " and that the server is running and reachable (raise <database><connectTimeout> for slow networks).",
          e);
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException || state.startsWith("08")) {
      return new EnvironmentError("Cannot reach " + where + ": " + firstLine(root.getMessage())
          + ". Fix: start the database, or correct the host and port in " + target.urlSetting() + ".", e);
    }
    return new EnvironmentError("Cannot connect to " + where + ": " + firstLine(e.getMessage()) + ".", e);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = (nl < 0 ? s : s.substring(0, nl)).strip();
    return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
  }
}
