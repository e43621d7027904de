package io.github.devplugin.db;

import io.github.devplugin.core.Masker;
import java.util.Locale;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * A PostgreSQL database to connect to, with the names of the settings that gave its URL, user and password, so that
 * every connection error can say which setting to fix. The password is never part of {@link #toString()}.
 *
 * @param url JDBC URL ({@code jdbc:postgresql://host:port/db})
 * @param user database user
 * @param password password, or null for none (trust or peer authentication)
 * @param urlSetting where the URL came from, e.g. {@code -Ddevplugin.db.url} or {@code DATABASE_URL}
 * @param userSetting where the user came from
 * @param passwordSetting where the password came from, e.g. {@code the environment variable DEVPLUGIN_DB_PASSWORD}
 * @param connectTimeoutSeconds connect and login timeout
 * @param environment the devplugin environment whose database this is (recorded with backups), or null
 */
public record DbTarget(String url, String user, String password, String urlSetting, String userSetting,
    String passwordSetting, int connectTimeoutSeconds, String environment) {

  /** A target outside any devplugin environment (the image's migrator, throwaway databases). */
  public DbTarget(String url, String user, String password, String urlSetting, String userSetting,
      String passwordSetting, int connectTimeoutSeconds) {
    this(url, user, password, urlSetting, userSetting, passwordSetting, connectTimeoutSeconds, null);
  }

  /** The same target, as the database of environment {@code name}. */
  public DbTarget withEnvironment(String name) {
    return new DbTarget(url, user, password, urlSetting, userSetting, passwordSetting, connectTimeoutSeconds, name);
  }

  public DbTarget {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new io.github.devplugin.core.UserError("'" + url + "' (" + urlSetting
          + ") is not a PostgreSQL JDBC URL. Fix: use jdbc:postgresql://HOST:5432/DATABASE.");
    }
  }

  /** The same server and credentials, another database (for throwaway databases). */
  public DbTarget withDatabase(String database) {
    Properties p = parsed();
    String hosts = p.getProperty("PGHOST");
    String ports = p.getProperty("PGPORT");
    String[] h = hosts.split(",");
    String[] po = ports.split(",");
    StringBuilder sb = new StringBuilder("jdbc:postgresql://");
    for (int i = 0; i < h.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(h[i].contains(":") ? "[" + h[i] + "]" : h[i]).append(':').append(po[Math.min(i, po.length - 1)]);
    }
    sb.append('/').append(database);
    int q = url.indexOf('?');
    if (q >= 0) {
      sb.append(url.substring(q));
    }
    return new DbTarget(sb.toString(), user, password, urlSetting, userSetting, passwordSetting,
        connectTimeoutSeconds, environment);
  }

  /** The database name of the URL. */
  public String database() {
    return parsed().getProperty("PGDBNAME");
  }

  /** host:port of the URL, for messages. */
  public String hostAndPort() {
    Properties p = parsed();
    return p.getProperty("PGHOST") + ":" + p.getProperty("PGPORT");
  }

  /**
   * The URL parsed by the PostgreSQL driver itself: {@code PGHOST}, {@code PGPORT}, {@code PGDBNAME} and the URL's
   * parameters ({@code sslmode}, ...).
   */
  public Properties parsed() {
    Properties p = Driver.parseURL(url, new Properties());
    if (p == null) {
      throw new io.github.devplugin.core.UserError("'" + url + "' (" + urlSetting
          + ") is not a valid PostgreSQL JDBC URL. Fix: use jdbc:postgresql://HOST:5432/DATABASE.");
    }
    return p;
  }

  /** Registers the password with a masker. */
  public DbTarget maskWith(Masker masker) {
    masker.add(password);
    return this;
  }

  @Override
  public String toString() {
    return "DbTarget[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : Masker.MASK)
        + "]";
  }

  static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
