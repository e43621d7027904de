package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.UpToDate;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate} with migrations pending (issue 15): onto a database without the history table it asks Flyway once
 * (its {@code migrate()}, no {@code info()} before it), and it watches the lock on its own session, opening no third
 * one; what it reports and refuses stays as before.
 */
class MigratePendingPathTest {
  /** Flyway logs its driver line once per command it runs (each {@code info()}, {@code migrate()}, ...). */
  private static final String FLYWAY_COMMAND = "DEBUG [flyway] Driver: ";
  /** {@link FlywayDataSource}'s line when Flyway takes the connection opened ahead. */
  private static final String OPENED_AHEAD = "Flyway's first connection was opened while its configuration loaded.";

  @TempDir
  Path dir;

  private Migrator migrator(TestDatabase db, Path migrations, io.github.devplugin.core.BuildLog log) {
    return new Migrator(db.target, TestDatabase.spec(migrations), log, "<database><lockTimeout>",
        UpToDate.forGoal(dir.resolve("devplugin"), "migrate", "dev"));
  }

  @Test
  void ontoADatabaseWithoutHistoryFlywayRunsOnlyItsMigrateAndTheTableComesFromTheHistory() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "CREATE TABLE notes (id INT);",
        "U1__create_notes.sql", "DROP TABLE notes;",
        "V2__create_tags.sql", "-- tags of notes\nCREATE TABLE tags (id INT);");
    try (TestDatabase db = TestDatabase.create("fresh")) {
      RecordingLog log = new RecordingLog();
      Migrator.Outcome out = migrator(db, m, log).migrate(false, null);

      assertThat(log.count(FLYWAY_COMMAND)).as("Flyway commands run").isEqualTo(1);
      // no stamp yet: Flyway's connection was opened while its configuration loaded, and it migrated on that one
      assertThat(log.count(OPENED_AHEAD)).isEqualTo(1);
      assertThat(log.text()).contains("Applying 2 pending migrations to schema \"public\"",
          "Applied 2 migrations in", "is now at version 2.");
      assertThat(out.appliedNow()).isEqualTo(2);
      assertThat(out.schemaVersion()).isEqualTo("2");
      assertThat(out.rows()).extracting(Migrator.Row::version, Migrator.Row::state, Migrator.Row::appliedNow)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("1", "success", true),
              org.assertj.core.groups.Tuple.tuple("2", "success", true));
      assertThat(db.query("SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
          .containsExactly(List.of("1"), List.of("2"));

      // the stamp was recorded from that history read: the next migrate decides without Flyway
      RecordingLog again = new RecordingLog();
      assertThat(migrator(db, m, again).migrate(false, null).appliedNow()).isZero();
      assertThat(again.count(FLYWAY_COMMAND)).isZero();
      assertThat(again.text()).contains("is up to date at version 2: nothing to migrate");
    }
  }

  /**
   * Scripts in a hidden directory, which Flyway's filesystem scanner skips, are neither counted as pending nor checked
   * nor fingerprinted: the count agrees with what Flyway migrates (no {@code info()} after it) and editing them leaves
   * the stamp standing.
   */
  @Test
  void scriptsInAHiddenDirectoryAreLeftOutAsFlywayLeavesThemOut() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "CREATE TABLE notes (id INT);",
        "V2__create_tags.sql", "CREATE TABLE tags (id INT);");
    TestDatabase.files(m.resolve(".old"), "V9__retired.sql", "CREATE TABLE retired (id INT);",
        "U7__orphan.sql", "DROP TABLE seven;");
    try (TestDatabase db = TestDatabase.create("hidden")) {
      RecordingLog log = new RecordingLog();
      Migrator.Outcome out = migrator(db, m, log).migrate(false, null);

      assertThat(log.text()).contains("Applying 2 pending migrations to schema \"public\"", "Applied 2 migrations in");
      assertThat(log.count(FLYWAY_COMMAND)).as("Flyway commands run").isEqualTo(1);
      assertThat(out.rows()).extracting(Migrator.Row::version).containsExactly("1", "2");
      assertThat(db.query("SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
          .containsExactly(List.of("1"), List.of("2"));

      java.nio.file.Files.writeString(m.resolve(".old/V9__retired.sql"), "CREATE TABLE renamed (id INT);");
      RecordingLog again = new RecordingLog();
      assertThat(migrator(db, m, again).migrate(false, null).appliedNow()).isZero();
      assertThat(again.count(FLYWAY_COMMAND)).isZero();
      assertThat(again.text()).contains("is up to date at version 2: nothing to migrate");
    }
  }

  @Test
  void aRepeatableIsCountedAsPendingAndTheTableThenComesFromFlyway() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "CREATE TABLE notes (id INT);",
        "R__notes_view.sql", "CREATE OR REPLACE VIEW notes_view AS SELECT id FROM notes;");
    try (TestDatabase db = TestDatabase.create("freshr")) {
      RecordingLog log = new RecordingLog();
      Migrator.Outcome out = migrator(db, m, log).migrate(false, null);

      assertThat(log.text()).contains("Applying 2 pending migrations", "Applied 2 migrations in");
      assertThat(out.appliedNow()).isEqualTo(2);
      assertThat(out.rows()).extracting(Migrator.Row::description, Migrator.Row::appliedNow)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("create notes", true),
              org.assertj.core.groups.Tuple.tuple("notes view", true));
      // migrate, then info() for the table (a repeatable's row is not one the history read stands for)
      assertThat(log.count(FLYWAY_COMMAND)).isEqualTo(2);
    }
  }

  @Test
  void aNonEmptySchemaWithoutHistoryIsStillRefusedByFlywayAndNothingChanges() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    try (TestDatabase db = TestDatabase.create("nonempty")) {
      db.exec("CREATE TABLE existing (id INT)");
      assertThatThrownBy(() -> migrator(db, m, new RecordingLog()).migrate(false, null))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("no schema history table");
      assertThat(db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
          .containsExactly(List.of("existing"));
    }
  }

  @Test
  void theLockWatcherPollsOnTheMigrateSessionSoOnlyTwoSessionsAreOpenWhileMigrating() throws Exception {
    // V1 gives the watcher time to start; V2 records how many sessions of this migrate exist at that moment
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__wait.sql", "SELECT pg_sleep(1.5);",
        "V2__sessions.sql", "CREATE TABLE sessions AS SELECT count(*) AS n FROM pg_stat_activity"
            + " WHERE application_name = current_setting('application_name');");
    try (TestDatabase db = TestDatabase.create("sessions")) {
      Migrator.Outcome out = migrator(db, m, new RecordingLog()).migrate(false, null);
      assertThat(out.appliedNow()).isEqualTo(2);
      // the migrate's own (checks, history read, lock watcher) and Flyway's
      assertThat(db.query("SELECT n FROM sessions")).containsExactly(List.of("2"));
    }
  }

  /** A log that also keeps which thread wrote each line. */
  private static final class ThreadLog implements io.github.devplugin.core.BuildLog {
    final RecordingLog log = new RecordingLog();
    final java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void line(String level, String message) {
      threads.add(Thread.currentThread().getName() + " " + level + " " + message);
    }

    @Override
    public void info(String message) {
      line("INFO", message);
      log.info(message);
    }

    @Override
    public void warn(String message) {
      line("WARN", message);
      log.warn(message);
    }

    @Override
    public void error(String message) {
      line("ERROR", message);
      log.error(message);
    }

    @Override
    public void debug(String message) {
      line("DEBUG", message);
      log.debug(message);
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    long from(String thread, String fragment) {
      return threads.stream().filter(l -> l.startsWith(thread + " ") && l.contains(fragment)).count();
    }
  }

  @Test
  void withoutAStampFlywayIsConfiguredOnItsOwnThreadWhileTheControlConnectionChecksAndItsMigrateLogsHere()
      throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    try (TestDatabase db = TestDatabase.create("prefetch")) {
      ThreadLog log = new ThreadLog();
      String caller = Thread.currentThread().getName();
      Migrator.Outcome out = migrator(db, m, log).migrate(false, null);
      assertThat(out.appliedNow()).isEqualTo(1);
      // Flyway's lines while its configuration loads come from the configuring thread ...
      assertThat(log.from("devplugin-migrate-flyway", "[flyway] ")).as(String.join("\n", log.threads))
          .isPositive();
      // ... and those of its migrate from the goal's thread, into the same log
      assertThat(log.from(caller, "Migrating schema \"public\" to version \"1 - create notes\"")).isEqualTo(1);
      assertThat(log.from(caller, FLYWAY_COMMAND.substring("DEBUG ".length()))).isEqualTo(1);

      // the stamp now decides: no Flyway configured, on any thread
      ThreadLog again = new ThreadLog();
      assertThat(migrator(db, m, again).migrate(false, null).appliedNow()).isZero();
      assertThat(again.threads).noneMatch(l -> l.contains("[flyway]") || l.startsWith("devplugin-migrate-flyway"));
    }
  }

  @Test
  void aStampThatCannotDecideBeforeTheDatabaseIsReadLeavesFlywayToTheGoalsThread() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    try (TestDatabase db = TestDatabase.create("prefetchs")) {
      assertThat(migrator(db, m, new RecordingLog()).migrate(false, null).appliedNow()).isEqualTo(1);
      db.exec("DROP TABLE notes");
      db.exec("DROP TABLE flyway_schema_history");
      // a stamp exists: whether Flyway is needed is known only from the history table, so it is loaded after that
      ThreadLog log = new ThreadLog();
      assertThat(migrator(db, m, log).migrate(false, null).appliedNow()).isEqualTo(1);
      assertThat(log.threads).noneMatch(l -> l.startsWith("devplugin-migrate-flyway"));
      assertThat(log.threads).noneMatch(l -> l.contains(OPENED_AHEAD));
      assertThat(log.from(Thread.currentThread().getName(), "Migrating schema")).isEqualTo(1);
    }
  }

  @Test
  void aScanThatFailsReportsItsProblemsAndClosesTheControlConnectionOpenedMeanwhile() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);",
        "v2__lower_case.sql", "CREATE TABLE tags (id INT);");
    try (TestDatabase db = TestDatabase.create("scanfail")) {
      assertThatThrownBy(() -> migrator(db, m, new RecordingLog()).migrate(false, null))
          .hasMessageContaining("v2__lower_case.sql");
      // the goal fails without waiting for the connections being opened meanwhile: once their threads have ended,
      // whatever they opened has been closed (a session still listed is only the server ending it)
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (List.of("devplugin-migrate-connect", "devplugin-migrate-flyway-connect").contains(t.getName())) {
          t.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
          assertThat(t.isAlive()).as("%s still opening a connection after 30 s", t.getName()).isFalse();
        }
      }
      String sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name LIKE 'devplugin migrate %'";
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (!db.query(sessions).equals(List.of(List.of("0"))) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(db.query(sessions)).containsExactly(List.of("0"));
      assertThat(db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
          .containsExactly(List.of("0"));
    }
  }
}
