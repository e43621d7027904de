import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.db.DbTarget;
import io.github.devplugin.db.MigrationSpec;
import io.github.devplugin.db.Migrator;
import io.github.devplugin.db.Rollback;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The in-process part of bench/migrate/run.sh: the same migrations through plain Flyway (what flyway-maven-plugin
 * runs) and through devplugin's migrate core, in one JVM, without Maven's start-up and plugin resolution.
 * Each migrate is timed from its configuration on both sides, as each tool runs it: Flyway's {@code configure()
 * ... load()} and then {@code migrate()}, devplugin's {@code new Migrator(...)} and {@code migrate(...)} (which builds
 * its Flyway configuration inside); devplugin's migrator keeps its stamp ({@code MigrateStamp}) in a directory of its
 * own, as {@code devplugin:migrate} keeps it under {@code target/devplugin/stamps}. A first run is discarded as
 * warm-up; the order alternates; both sides are checked to have applied all 200 migrations.
 * Arguments: ADMIN_JDBC_URL USER MIGRATIONS_DIR REPEAT [nothing-to-do] (REPEAT at least 5; password in PGPASSWORD).
 * With {@code nothing-to-do} only the migrate with nothing pending is timed: both sides migrate their own database
 * once (untimed, checked), then take turns, REPEAT times after a discarded warm-up round, the order alternating.
 */
public class CoreBench {
  static final int N = 200;

  public static void main(String[] args) throws Exception {
    String admin = args[0];
    String user = args[1];
    String location = "filesystem:" + args[2];
    int repeat = Integer.parseInt(args[3]);
    String password = System.getenv("PGPASSWORD");
    String base = admin.substring(0, admin.lastIndexOf('/') + 1);
    if (repeat < 5) {
      throw new IllegalArgumentException("REPEAT=" + repeat + ": at least 5 runs are needed for a median");
    }
    String url = base + "bench_core";
    if (args.length > 4 && args[4].equals("nothing-to-do")) {
      nothingToDo(admin, base, user, password, location, repeat);
      return;
    }
    List<Long> fMig = new ArrayList<>(), fNop = new ArrayList<>(), dMig = new ArrayList<>(), dNop = new ArrayList<>(),
        dRb = new ArrayList<>();
    // run 0 is a warm-up (class loading, JIT, PostgreSQL caches) and is discarded; then the order alternates
    for (int r = 0; r <= repeat; r++) {
      boolean flywayFirst = r % 2 == 0;
      for (int side = 0; side < 2; side++) {
        boolean flywaySide = (side == 0) == flywayFirst;
        fresh(admin, user, password);
        if (flywaySide) {
          long s = System.nanoTime();
          Flyway.configure().dataSource(url, user, password).locations(location).load().migrate();
          long mig = ms(s);
          check(url, user, password, N, "Flyway migrate");
          s = System.nanoTime();
          Flyway.configure().dataSource(url, user, password).locations(location).load().migrate();
          long nop = ms(s);
          check(url, user, password, N, "Flyway no-op migrate");
          if (r > 0) {
            fMig.add(mig);
            fNop.add(nop);
          }
        } else {
          DbTarget t = new DbTarget(url, user, password, "url", "user", "PGPASSWORD", 10);
          MigrationSpec spec = new MigrationSpec(List.of(location), List.of(), "flyway_schema_history", 60, null);
          UpToDate stamp = stamp();
          Rollback rollback = new Rollback(t, spec, BuildLog.NONE);
          Rollback.Request request = new Rollback.Request(N, null);
          long s = System.nanoTime();
          new Migrator(t, spec, BuildLog.NONE, "lockTimeout", stamp).migrate(false, null);
          long mig = ms(s);
          check(url, user, password, N, "devplugin migrate");
          s = System.nanoTime();
          new Migrator(t, spec, BuildLog.NONE, "lockTimeout", stamp).migrate(false, null);
          long nop = ms(s);
          check(url, user, password, N, "devplugin no-op migrate");
          s = System.nanoTime();
          rollback.run(request, null);
          long rb = ms(s);
          check(url, user, password, 0, "devplugin rollback");
          if (r > 0) {
            dMig.add(mig);
            dNop.add(nop);
            dRb.add(rb);
          }
        }
      }
    }
    try (Connection c = DriverManager.getConnection(admin, user, password); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS bench_core WITH (FORCE)");
    }
    System.out.printf("%-34s %14s %16s %18s%n", "in one JVM (no Maven)", "Flyway API", "devplugin core",
        "devplugin/flyway");
    row("migrate " + N + " pending", median(fMig), median(dMig));
    row("migrate, nothing to do", median(fNop), median(dNop));
    System.out.printf("%-34s %15s %13d ms %18s%n", "rollback " + N + " steps (U scripts)", "n/a (*)", median(dRb), "-");
  }

  /** Only the migrate with nothing pending, on two databases migrated once before the timers. */
  static void nothingToDo(String admin, String base, String user, String password, String location, int repeat)
      throws Exception {
    String flywayUrl = base + "bench_core_flyway";
    String devpluginUrl = base + "bench_core_devplugin";
    try (Connection c = DriverManager.getConnection(admin, user, password); Statement st = c.createStatement()) {
      for (String db : List.of("bench_core_flyway", "bench_core_devplugin")) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        st.execute("CREATE DATABASE " + db);
      }
    }
    DbTarget t = new DbTarget(devpluginUrl, user, password, "url", "user", "PGPASSWORD", 10);
    MigrationSpec spec = new MigrationSpec(List.of(location), List.of(), "flyway_schema_history", 60, null);
    Flyway.configure().dataSource(flywayUrl, user, password).locations(location).load().migrate();
    check(flywayUrl, user, password, N, "Flyway migrate");
    UpToDate stamp = stamp();
    new Migrator(t, spec, BuildLog.NONE, "lockTimeout", stamp).migrate(false, null);
    check(devpluginUrl, user, password, N, "devplugin migrate");
    List<Long> f = new ArrayList<>(), d = new ArrayList<>();
    for (int r = 0; r <= repeat; r++) {
      for (int side = 0; side < 2; side++) {
        if ((side == 0) == (r % 2 == 0)) {
          long s = System.nanoTime();
          int executed = Flyway.configure().dataSource(flywayUrl, user, password).locations(location).load()
              .migrate().migrationsExecuted;
          long ms = ms(s);
          if (executed != 0) {
            throw new IllegalStateException("Flyway's no-op migrate applied " + executed + " migrations");
          }
          if (r > 0) {
            f.add(ms);
          }
        } else {
          long s = System.nanoTime();
          int applied = new Migrator(t, spec, BuildLog.NONE, "lockTimeout", stamp).migrate(false, null).appliedNow();
          long ms = ms(s);
          if (applied != 0) {
            throw new IllegalStateException("devplugin's no-op migrate applied " + applied + " migrations");
          }
          if (r > 0) {
            d.add(ms);
          }
        }
      }
    }
    try (Connection c = DriverManager.getConnection(admin, user, password); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS bench_core_flyway WITH (FORCE)");
      st.execute("DROP DATABASE IF EXISTS bench_core_devplugin WITH (FORCE)");
    }
    System.out.printf("%-34s %14s %16s %18s%n", "in one JVM (no Maven)", "Flyway API", "devplugin core",
        "devplugin/flyway");
    row("migrate, nothing to do", median(f), median(d));
    System.out.println("all runs (ms): flyway " + f + " | devplugin " + d);
  }

  /** A stamp file of devplugin's migrate in a new directory under bench/work (the goal's target/devplugin/stamps). */
  static UpToDate stamp() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("bench/work/corebench-stamps");
    java.nio.file.Files.createDirectories(dir);
    return UpToDate.forGoal(java.nio.file.Files.createTempDirectory(dir, "run"), "migrate", "bench");
  }

  static void row(String name, long f, long d) {
    System.out.printf("%-34s %12d ms %13d ms %18.2f%n", name, f, d, (double) d / f);
  }

  /**
   * A new, empty bench_core. The drop's FORCE cannot end a superuser's session, and an autovacuum worker on the last
   * run's 200 tables is one (ERROR 42501, "must be a member of the role whose process is being terminated"): wait
   * for it, saying so, up to 30 s.
   */
  static void fresh(String admin, String user, String password) throws Exception {
    try (Connection c = DriverManager.getConnection(admin, user, password); Statement st = c.createStatement()) {
      for (int attempt = 1; ; attempt++) {
        try {
          st.execute("DROP DATABASE IF EXISTS bench_core WITH (FORCE)");
          break;
        } catch (java.sql.SQLException e) {
          if (!"42501".equals(e.getSQLState()) || attempt == 60) {
            throw e;
          }
          if (attempt == 1) {
            System.err.println("Waiting for a superuser session on bench_core (autovacuum) to end before dropping it");
          }
          Thread.sleep(500);
        }
      }
      st.execute("CREATE DATABASE bench_core");
    }
  }

  /** The work was done: exactly {@code expected} successful versioned rows in the history table. */
  static void check(String url, String user, String password, int expected, String what) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
      rs.next();
      int applied = rs.getInt(1);
      if (applied != expected) {
        throw new IllegalStateException(what + " left " + applied + " applied migrations, not " + expected);
      }
    }
  }

  static long ms(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  static long median(List<Long> v) {
    List<Long> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get((s.size() - 1) / 2);
  }
}
