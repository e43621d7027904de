package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration lock devplugin shares with Flyway (issue 16 item 4), proven against a plain, default-configured
 * {@link Flyway#migrate()} rather than devplugin's own idea of the key: while devplugin holds the lock, Flyway waits;
 * while Flyway migrates, devplugin waits and names Flyway's session.
 */
class FlywayLockTest {
  private static final Duration GUARD = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  /** Flyway as a user configures it, none of devplugin's settings. */
  private static Flyway plainFlyway(TestDatabase db, Path migrations, String application,
      org.flywaydb.core.api.migration.JavaMigration... java) {
    return Flyway.configure().dataSource(db.target.url() + "?ApplicationName=" + application, TestDatabase.USER,
        TestDatabase.PASSWORD).locations("filesystem:" + migrations).javaMigrations(java).load();
  }

  @Test
  void aPlainFlywayMigrateWaitsWhileDevpluginHoldsTheLock() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    try (TestDatabase db = TestDatabase.create("flywaylock")) {
      String own = Migrator.applicationName("rollback");
      try (Connection c = Connections.open(db.target, own)) {
        MigrationLock.acquire(c, MigrationLock.key("public", "flyway_schema_history"), own, 5, new RecordingLog());
        CompletableFuture<MigrateResult> flyway =
            CompletableFuture.supplyAsync(() -> plainFlyway(db, m, "plain-flyway").migrate());
        // Flyway retries its lock once a second; three seconds on it has applied nothing
        Thread.sleep(3000);
        assertThat(flyway).isNotDone();
        assertThat(db.query("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'").get(0).get(0))
            .isEqualTo("0");
        MigrationLock.release(c, MigrationLock.key("public", "flyway_schema_history"));
        MigrateResult result = assertTimeoutPreemptively(GUARD, () -> flyway.get());
        assertThat(result.migrationsExecuted).isEqualTo(1);
      }
      assertThat(db.query("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'").get(0).get(0)).isEqualTo("1");
    }
  }

  /** A Java migration that holds Flyway inside {@code migrate()} until the test lets it go. */
  public static final class V2__hold extends BaseJavaMigration {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void migrate(Context context) throws Exception {
      entered.countDown();
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      try (var st = context.getConnection().createStatement()) {
        st.execute("CREATE TABLE held (id INT)");
      }
    }
  }

  @Test
  void devpluginWaitsWhileAPlainFlywayMigratesAndNamesItsSession() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    Path next = TestDatabase.files(dir.resolve("next"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);",
        "V3__after.sql", "CREATE TABLE after_flyway (id INT);");
    try (TestDatabase db = TestDatabase.create("flywaylock2")) {
      V2__hold hold = new V2__hold();
      CompletableFuture<MigrateResult> flyway =
          CompletableFuture.supplyAsync(() -> plainFlyway(db, m, "plain-flyway-7", hold).migrate());
      assertThat(hold.entered.await(60, TimeUnit.SECONDS)).isTrue();
      // Flyway is inside migrate(), holding its lock: devplugin's lock (rollback's path) times out naming it
      String own = Migrator.applicationName("rollback");
      try (Connection c = Connections.open(db.target, own)) {
        RecordingLog log = new RecordingLog();
        assertThatThrownBy(() -> MigrationLock.acquire(c, MigrationLock.key("public", "flyway_schema_history"), own,
            2, log))
            .isInstanceOf(UserError.class)
            .hasMessageContaining("Timed out after 2 s waiting for the migration lock, held by pid")
            .hasMessageContaining("application 'plain-flyway-7'");
      }
      // and devplugin's migrate waits for Flyway instead of running alongside it
      RecordingLog log = new RecordingLog();
      CompletableFuture<Migrator.Outcome> devplugin = CompletableFuture.supplyAsync(
          () -> new Migrator(db.target, TestDatabase.spec(next), log).migrate(false, null));
      assertTimeoutPreemptively(GUARD, () -> {
        while (!log.text().contains("Waiting for the migration lock, held by pid")) {
          Thread.sleep(100);
        }
      });
      assertThat(log.text()).contains("application 'plain-flyway-7'");
      assertThat(devplugin).isNotDone();
      hold.release.countDown();
      assertThat(assertTimeoutPreemptively(GUARD, () -> flyway.get()).migrationsExecuted).isEqualTo(2);
      // devplugin went on only after Flyway let go: its V3 comes after Flyway's V2 in the history
      assertThat(assertTimeoutPreemptively(GUARD, () -> devplugin.get()).appliedNow()).isEqualTo(1);
      assertThat(db.query("SELECT version, installed_by IS NOT NULL FROM flyway_schema_history"
          + " ORDER BY installed_rank")).containsExactly(List.of("1", "t"), List.of("2", "t"), List.of("3", "t"));
      assertThat(db.query("SELECT count(*) FROM pg_tables WHERE tablename IN ('held', 'after_flyway')"))
          .containsExactly(List.of("2"));
    }
  }
}
