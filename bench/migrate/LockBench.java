import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * What Flyway's PostgreSQL lock costs, through the Flyway API alone (no devplugin): the bench's migrations applied to a
 * new database with Flyway's default transactional advisory lock and with the session-level lock devplugin configures
 * ({@code db.Flyways.configure}: migration and history row in one transaction on one connection; {@code CREATE INDEX
 * CONCURRENTLY} does not wait for the lock's own transaction). Alternating, a discarded warm-up round, medians of 6.
 *
 * <pre>
 * bench/migrate/run.sh   # once: writes the 200 migrations under bench/work/migrate/project
 * CP=$(./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)
 * javac -d bench/work/lock -cp "$CP" bench/migrate/LockBench.java
 * PGPASSWORD="$DEVPLUGIN_TEST_PG_PASSWORD" java -cp "$CP:bench/work/lock" LockBench "$DEVPLUGIN_TEST_PG_ADMIN_URL" \
 *   "$DEVPLUGIN_TEST_PG_USER" bench/work/migrate/project/src/main/resources/db/migration
 * </pre>
 * It uses (drops and creates) the database {@code bench_lock}.
 */
public class LockBench {
  public static void main(String[] args) throws Exception {
    String admin = args[0];
    String user = args[1];
    String location = "filesystem:" + args[2];
    String password = System.getenv("PGPASSWORD");
    String url = admin.substring(0, admin.lastIndexOf('/') + 1) + "bench_lock";
    List<Long> transactional = new ArrayList<>();
    List<Long> session = new ArrayList<>();
    int expected = -1;
    for (int r = 0; r <= 6; r++) {
      for (int side = 0; side < 2; side++) {
        boolean sessionLock = (side == 0) == (r % 2 == 0);
        try (Connection c = DriverManager.getConnection(admin, user, password); Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS bench_lock WITH (FORCE)");
          s.execute("CREATE DATABASE bench_lock");
        }
        long start = System.nanoTime();
        FluentConfiguration c = Flyway.configure().dataSource(url, user, password).locations(location);
        c.getPluginRegister().getExact(PostgreSQLConfigurationExtension.class).setTransactionalLock(!sessionLock);
        int applied = c.load().migrate().migrationsExecuted;
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (applied == 0 || (expected >= 0 && applied != expected)) {
          throw new IllegalStateException("applied " + applied + " migrations, expected " + expected);
        }
        expected = applied;
        if (r > 0) {
          (sessionLock ? session : transactional).add(ms);
        }
      }
    }
    System.out.println(expected + " migrations, Flyway API, medians of " + transactional.size() + " (ms)");
    System.out.println("transactional lock (Flyway's default) " + median(transactional) + "   all " + transactional);
    System.out.println("session lock (devplugin's)            " + median(session) + "   all " + session);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
