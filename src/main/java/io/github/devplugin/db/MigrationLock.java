package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flyway's PostgreSQL migration lock: a session-level advisory lock whose key Flyway derives from the quoted name of
 * the schema history table. devplugin's rollback takes the same lock, so a rollback and a migrate (devplugin's or
 * any other Flyway's) never run at the same time, and a {@link Watcher} reports who holds it while we wait, from
 * {@code pg_locks} and {@code pg_stat_activity}.
 */
public final class MigrationLock {
  /** Flyway's constant offset of PostgreSQL advisory lock keys ({@code PostgreSQLAdvisoryLockTemplate}). */
  static final long FLYWAY_LOCK_OFFSET = 77431708279161L;

  private MigrationLock() {}

  /** The advisory lock key Flyway uses for the history table {@code schema.table}. */
  public static long key(String schema, String table) {
    return FLYWAY_LOCK_OFFSET + (quote(schema) + "." + quote(table)).hashCode();
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** A session that holds the lock. */
  public record Holder(int pid, String user, String application, String client, String since, String state,
      String query) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("pid ").append(pid);
      sb.append(" (user ").append(user);
      if (application != null && !application.isEmpty()) {
        sb.append(", application '").append(application).append('\'');
      }
      sb.append(", from ").append(client == null ? "local socket" : client);
      sb.append(", connected since ").append(since);
      sb.append(", ").append(state == null ? "state unknown" : state);
      if (query != null && !query.isBlank()) {
        String q = query.strip().replaceAll("\\s+", " ");
        sb.append(", last statement: ").append(q.length() > 160 ? q.substring(0, 157) + "..." : q);
      }
      return sb.append(')').toString();
    }
  }

  /** The sessions other than {@code ownApplication}'s holding the lock {@code key}. */
  public static List<Holder> holders(Connection c, long key, String ownApplication) throws SQLException {
    String sql = "SELECT a.pid, a.usename, a.application_name, host(a.client_addr) AS client,"
        + " to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ') AS since, a.state, a.query"
        + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        + " AND l.classid::text::bigint = ? AND l.objid::text::bigint = ?"
        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        + " AND a.application_name IS DISTINCT FROM ? AND a.pid <> pg_backend_pid() ORDER BY a.pid";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, key >>> 32);
      ps.setLong(2, key & 0xFFFFFFFFL);
      ps.setString(3, ownApplication);
      List<Holder> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Holder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7)));
        }
      }
      return out;
    }
  }

  /**
   * Takes the lock on {@code c} (session level), waiting up to {@code timeoutSeconds} and logging who holds it
   * meanwhile. Release with {@link #release}.
   */
  public static void acquire(Connection c, long key, String ownApplication, int timeoutSeconds, BuildLog log) {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    List<Integer> reported = List.of();
    long lastReport = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, key);
      while (true) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            return;
          }
        }
        List<Holder> holders = holders(c, key, ownApplication);
        long now = System.nanoTime();
        if (!holders.isEmpty() && (!pids(holders).equals(reported) || now - lastReport > 30_000_000_000L)) {
          log.info("Waiting for the migration lock, held by " + describe(holders));
          reported = pids(holders);
          lastReport = now;
        }
        if (now > deadline) {
          throw new UserError("Timed out after " + timeoutSeconds + " s waiting for the migration lock"
              + (holders.isEmpty() ? "" : ", held by " + describe(holders))
              + ". Fix: wait for that migration to finish (or end the session with pg_terminate_backend(pid)),"
              + " or raise <database><lockTimeout>.");
        }
        Thread.sleep(500);
      }
    } catch (SQLException e) {
      throw new EnvironmentError("Cannot take the migration lock: " + Connections.firstLine(e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentError("Interrupted while waiting for the migration lock.", e);
    }
  }

  public static void release(Connection c, long key) {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, key);
      ps.executeQuery().close();
    } catch (SQLException e) {
      // the session ends right after; PostgreSQL releases session locks with it
    }
  }

  private static List<Integer> pids(List<Holder> holders) {
    return holders.stream().map(Holder::pid).toList();
  }

  static String describe(List<Holder> holders) {
    return String.join("; ", holders.stream().map(Holder::toString).toList());
  }

  /** A session holding a lock that one of our migration statements waits for. */
  public record Blocker(int pid, String user, String application, String client, String state,
      Long transactionSeconds, String query, String waitingStatement) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("pid ").append(pid);
      sb.append(" (application '").append(application == null ? "" : application).append('\'');
      sb.append(", user ").append(user);
      sb.append(", from ").append(client == null ? "local socket" : client);
      sb.append(", ").append(state == null ? "state unknown" : state);
      if (transactionSeconds != null) {
        sb.append(", transaction open for ").append(transactionSeconds).append(" s");
      }
      if (query != null && !query.isBlank()) {
        String q = query.strip().replaceAll("\\s+", " ");
        sb.append(", last statement: ").append(q.length() > 160 ? q.substring(0, 157) + "..." : q);
      }
      return sb.append(')').toString();
    }
  }

  /**
   * The sessions that block a statement of a session named {@code ownApplication} from getting a lock (from
   * {@code pg_blocking_pids}), other than our own sessions.
   */
  public static List<Blocker> blockers(Connection c, String ownApplication) throws SQLException {
    String sql = "SELECT DISTINCT b.pid, b.usename, b.application_name, host(b.client_addr),"
        + " b.state, extract(epoch FROM now() - b.xact_start)::bigint, b.query, w.query"
        + " FROM pg_stat_activity w CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)"
        + " JOIN pg_stat_activity b ON b.pid = bp.pid"
        + " WHERE w.application_name = ? AND b.application_name IS DISTINCT FROM ? ORDER BY b.pid";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ownApplication);
      ps.setString(2, ownApplication);
      List<Blocker> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long age = rs.getLong(6);
          out.add(new Blocker(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.wasNull() ? null : age, rs.getString(7), rs.getString(8)));
        }
      }
      return out;
    }
  }

  /**
   * While Flyway migrates (and retries its own lock), reports every few seconds who we are waiting for: the holders
   * of the migration lock other than this run's sessions (another migrator), and the sessions holding a lock that a
   * migration statement waits for (an open transaction on a migrated table), with their transaction's age. Keeps the
   * last blockers seen, for the message when {@code lock_timeout} ends the wait. It polls on a connection the caller
   * opened and does not use meanwhile (the migrate's own, idle while Flyway runs on its connection), so watching
   * costs no connection of its own; {@link #close} stops it before the caller uses the connection again.
   */
  public static final class Watcher implements AutoCloseable {
    /** How often a wait is reported while it lasts. */
    static final long REPORT_EVERY_NANOS = 5_000_000_000L;
    private final Thread thread;
    private final int timeoutSeconds;
    private final String timeoutSetting;
    private volatile boolean stop;
    private volatile List<Blocker> lastBlockers = List.of();

    /**
     * @param connection where to poll: a session of {@code ownApplication} that the caller leaves alone until
     *     {@link #close} (not closed by the watcher)
     * @param timeoutSeconds the lock timeout, named in the progress lines
     * @param timeoutSetting how the progress lines name the setting that changes it
     */
    public Watcher(Connection connection, long key, String ownApplication, BuildLog log, int timeoutSeconds,
        String timeoutSetting) {
      this.timeoutSeconds = timeoutSeconds;
      this.timeoutSetting = timeoutSetting;
      thread = new Thread(() -> watch(connection, key, ownApplication, log), "devplugin-lock-watcher");
      thread.setDaemon(true);
      thread.start();
    }

    /** The sessions that blocked a migration statement when last seen (empty: none seen). */
    public List<Blocker> lastBlockers() {
      return lastBlockers;
    }

    private void watch(Connection c, long key, String own, BuildLog log) {
      List<Integer> previous = List.of();
      long lastReport = System.nanoTime() - REPORT_EVERY_NANOS;
      long blockedSince = 0;
      long lastBlockReport = 0;
      try {
        while (!stop) {
          List<Holder> holders = holders(c, key, own);
          List<Integer> pids = pids(holders);
          long now = System.nanoTime();
          // a holder seen in two polls in a row is one we are waiting for, not a neighbour passing by
          if (!pids.isEmpty() && pids.equals(previous) && now - lastReport >= REPORT_EVERY_NANOS) {
            log.info("Waiting for the migration lock, held by " + describe(holders) + "; giving up after "
                + timeoutSeconds + " s (" + timeoutSetting + ").");
            lastReport = now;
          }
          previous = pids;
          List<Blocker> blockers = blockers(c, own);
          if (blockers.isEmpty()) {
            blockedSince = 0;
          } else {
            lastBlockers = blockers;
            if (blockedSince == 0) {
              blockedSince = now;
              lastBlockReport = now;
            } else if (now - lastBlockReport >= REPORT_EVERY_NANOS) {
              String statement = blockers.get(0).waitingStatement();
              log.info("Waiting " + (now - blockedSince) / 1_000_000_000L + " s for a lock"
                  + (statement == null ? "" : " (statement: " + MigrationErrors.abbreviate(statement) + ")")
                  + " held by " + String.join("; ", blockers.stream().map(Blocker::toString).toList())
                  + "; giving up after " + timeoutSeconds + " s (" + timeoutSetting + ").");
              lastBlockReport = now;
            }
          }
          sleep(500);
        }
      } catch (RuntimeException | SQLException e) {
        if (!stop) {
          log.debug("The lock watcher stopped: " + e.getMessage());
        }
      }
    }

    /** Waits {@code ms} or until {@link #close}; never interrupts a statement on the caller's connection. */
    private synchronized void sleep(long ms) {
      try {
        if (!stop) {
          wait(ms);
        }
      } catch (InterruptedException e) {
        stop = true;
      }
    }

    @Override
    public void close() {
      synchronized (this) {
        stop = true;
        notifyAll();
      }
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
