import io.github.devplugin.core.BuildLog;
import io.github.devplugin.db.DbTarget;
import io.github.devplugin.db.MigrationSpec;
import io.github.devplugin.db.Migrator;
import io.github.devplugin.db.Rollback;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The in-process part of bench/migrate/run.sh: the same migrations through plain Flyway (what flyway-maven-plugin
 * runs) and through devplugin's migrate core, in one JVM, without Maven's start-up and plugin resolution.
 * Arguments: ADMIN_JDBC_URL USER MIGRATIONS_DIR REPEAT (password in PGPASSWORD).
 */
public class CoreBench {
  public static void main(String[] args) throws Exception {
    String admin = args[0];
    String user = args[1];
    String location = "filesystem:" + args[2];
    int repeat = Integer.parseInt(args[3]);
    String password = System.getenv("PGPASSWORD");
    String base = admin.substring(0, admin.lastIndexOf('/') + 1);
    List<Long> fMig = new ArrayList<>(), fNop = new ArrayList<>(), dMig = new ArrayList<>(), dNop = new ArrayList<>(),
        dRb = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      fresh(admin, user, password);
      Flyway flyway = Flyway.configure().dataSource(base + "bench_core", user, password).locations(location).load();
      long s = System.nanoTime();
      flyway.migrate();
      fMig.add(ms(s));
      s = System.nanoTime();
      flyway = Flyway.configure().dataSource(base + "bench_core", user, password).locations(location).load();
      flyway.migrate();
      fNop.add(ms(s));

      fresh(admin, user, password);
      DbTarget t = new DbTarget(base + "bench_core", user, password, "url", "user", "PGPASSWORD", 10);
      MigrationSpec spec = new MigrationSpec(List.of(location), List.of(), "flyway_schema_history", 60, null);
      s = System.nanoTime();
      new Migrator(t, spec, BuildLog.NONE).migrate(false, null);
      dMig.add(ms(s));
      s = System.nanoTime();
      new Migrator(t, spec, BuildLog.NONE).migrate(false, null);
      dNop.add(ms(s));
      s = System.nanoTime();
      new Rollback(t, spec, BuildLog.NONE).run(new Rollback.Request(200, null), null);
      dRb.add(ms(s));
    }
    try (Connection c = DriverManager.getConnection(admin, user, password); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS bench_core WITH (FORCE)");
    }
    System.out.printf("%-34s %14s %16s %18s%n", "in one JVM (no Maven)", "Flyway API", "devplugin core",
        "devplugin/flyway");
    row("migrate 200 pending", median(fMig), median(dMig));
    row("migrate, nothing to do", median(fNop), median(dNop));
    System.out.printf("%-34s %15s %13d ms %18s%n", "rollback 200 steps (U scripts)", "n/a (*)", median(dRb), "-");
  }

  static void row(String name, long f, long d) {
    System.out.printf("%-34s %12d ms %13d ms %18.2f%n", name, f, d, (double) d / f);
  }

  static void fresh(String admin, String user, String password) throws Exception {
    try (Connection c = DriverManager.getConnection(admin, user, password); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS bench_core WITH (FORCE)");
      st.execute("CREATE DATABASE bench_core");
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
