package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration that needs a lock another session holds (issue 12 item 1, issue 16 item 6: {@code lockTimeout} running
 * out): it reports who it waits for, and fails after {@code <database><lockTimeout>} naming the holder and the
 * setting, with the schema as it was.
 */
class LockTimeoutTest {
  /** Guards against the hang this test is about; far above the lock timeouts used. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void anIdleTransactionHoldingARowLockMakesMigrateFailWithinTheTimeoutNamingTheHolder() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT);\n"
            + "INSERT INTO notes (text) VALUES ('a'), ('b');");
    try (TestDatabase db = TestDatabase.create("locktimeout")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      TestDatabase.files(m, "V2__add_tags.sql", "CREATE TABLE tags (name TEXT PRIMARY KEY);\n"
          + "ALTER TABLE notes ADD COLUMN tag TEXT REFERENCES tags (name);");
      var before = db.catalog();
      try (Connection holder = DriverManager.getConnection(db.target.url() + "?ApplicationName=report-job-7",
          TestDatabase.USER, TestDatabase.PASSWORD)) {
        holder.setAutoCommit(false);
        int holderPid;
        try (Statement st = holder.createStatement()) {
          try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            holderPid = rs.getInt(1);
          }
          st.executeQuery("SELECT * FROM notes WHERE id = 1 FOR UPDATE").close();
        }
        // the holder is now idle in transaction with a row lock: ALTER TABLE needs an exclusive lock on notes
        EffectiveConfig cfg = GoalFixture.config(dir, m, db.target.url(), "dev",
            new ConfigLoader.Override("database.lockTimeout", "7", "-Ddevplugin.db.lockTimeout"));
        RecordingLog log = new RecordingLog();
        long started = System.nanoTime();
        assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(
            () -> MigrateGoal.run(cfg, GoalFixture.secrets(cfg), log, false))
            .isInstanceOf(UserError.class)
            .hasMessageContaining("Migration V2__add_tags.sql")
            .hasMessageContaining("waited 7 s (-Ddevplugin.db.lockTimeout) for a lock held by pid " + holderPid)
            .hasMessageContaining("application 'report-job-7'")
            .hasMessageContaining("idle in transaction")
            .hasMessageContaining("last statement: SELECT * FROM notes WHERE id = 1 FOR UPDATE")
            .hasMessageContaining("the schema is as it was before V2__add_tags.sql")
            .hasMessageContaining("raise -Ddevplugin.db.lockTimeout"));
        long waitedSeconds = (System.nanoTime() - started) / 1_000_000_000L;
        // it gave up because of the lock timeout, not the hang guard
        assertThat(waitedSeconds).isLessThan(HANG_GUARD.toSeconds());
        // while waiting, a progress line named the holder and the statement that waits
        assertThat(log.text()).containsPattern("Waiting \\d+ s for a lock \\(statement: ALTER TABLE notes ADD COLUMN"
            + " tag TEXT REFERENCES tags \\(name\\)\\) held by pid " + holderPid + " \\(application 'report-job-7'")
            .contains("transaction open for", "giving up after 7 s (-Ddevplugin.db.lockTimeout)")
            // the session settings come from an afterConnect callback, not the deprecated initSql
            .doesNotContainIgnoringCase("deprecated");
        holder.rollback();
      }
      // the whole migration rolled back: no tags table, no column, no history row
      assertThat(db.catalog()).isEqualTo(before);
      assertThat(db.query("SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
          .containsExactly(List.of("1"));
      // once the holder is gone, the same migration applies
      Migrator.Outcome out = new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      assertThat(out.appliedNow()).isEqualTo(1);
    }
  }

  @Test
  void theLockTimeoutIsThirtySecondsByDefaultAndNamedByItsProperty() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__x.sql", "CREATE TABLE x (id INT);");
    EffectiveConfig cfg = GoalFixture.config(dir, m, "jdbc:postgresql://127.0.0.1:5432/x", "dev");
    assertThat(cfg.database().lockTimeoutSeconds()).isEqualTo(30);
    assertThat(DbGoals.spec(cfg, List.of()).lockTimeoutSeconds()).isEqualTo(30);
    EffectiveConfig overridden = GoalFixture.config(dir, m, "jdbc:postgresql://127.0.0.1:5432/x", "dev",
        new ConfigLoader.Override("database.lockTimeout", "5", "-Ddevplugin.db.lockTimeout"));
    assertThat(overridden.database().lockTimeoutSeconds()).isEqualTo(5);
    assertThat(overridden.where("database.lockTimeout")).isEqualTo("-Ddevplugin.db.lockTimeout");
  }

  @Test
  void theImagesMigratorGivesUpAfterDevpluginLockTimeoutNamingTheHolderAndTheVariable() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    try (TestDatabase db = TestDatabase.create("locktimeoutmain")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      TestDatabase.files(m, "V2__lock_it.sql", "ALTER TABLE notes ADD COLUMN x INT;");
      try (Connection holder = DriverManager.getConnection(db.target.url() + "?ApplicationName=nightly-export",
          TestDatabase.USER, TestDatabase.PASSWORD)) {
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
          st.execute("LOCK TABLE notes IN ACCESS SHARE MODE");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = assertTimeoutPreemptively(HANG_GUARD, () -> MigratorMain.run(java.util.Map.of(
            "DATABASE_URL", db.target.url(), "DATABASE_USER", TestDatabase.USER, "DATABASE_PASSWORD",
            TestDatabase.PASSWORD, "FLYWAY_LOCATIONS", "filesystem:" + m, "DEVPLUGIN_LOCK_TIMEOUT", "2",
            MigratorMain.APP_CLASSPATH, ""), new java.io.PrintStream(out, true), new java.io.PrintStream(err, true)));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).contains("Migration V2__lock_it.sql", "waited 2 s (DEVPLUGIN_LOCK_TIMEOUT)",
            "application 'nightly-export'", "last statement: LOCK TABLE notes IN ACCESS SHARE MODE",
            "raise DEVPLUGIN_LOCK_TIMEOUT");
        holder.rollback();
      }
      assertThat(db.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes'"
          + " AND column_name = 'x'")).containsExactly(List.of("0"));
    }
  }
}
