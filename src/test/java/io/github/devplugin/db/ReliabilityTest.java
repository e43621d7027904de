package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.DeadEnds;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the issue promises about reliability, proven on the test environment's real PostgreSQL. Timeouts here only
 * guard against hangs (a hang is the failure being tested); no assertion is about how fast anything is.
 */
class ReliabilityTest {
  @TempDir
  Path dir;

  private static final Duration HANG_GUARD = Duration.ofMinutes(3);

  @Test
  void aFailingMigrationLeavesSchemaAndDataExactlyAsBeforeAndNamesFileAndStatement() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);\n"
            + "INSERT INTO notes (text) VALUES ('first'), ('second');",
        "V2__break.sql", "ALTER TABLE notes ADD COLUMN created_at TIMESTAMPTZ;\n"
            + "UPDATE notes SET text = 'changed';\n"
            + "CREATE TABLE other (id INT);\n"
            + "ALTER TABLE notes ADD CONSTRAINT no_such CHECK (missing_column > 0);\n"
            + "INSERT INTO notes (text) VALUES ('never');");
    try (TestDatabase db = TestDatabase.create("failing")) {
      MigrationSpec spec = TestDatabase.spec(m);
      new Migrator(db.target, TestDatabase.spec(onlyV1(m)), new RecordingLog()).migrate(false, null);
      Map<String, String> catalog = db.catalog();
      Map<String, String> rows = db.rowChecksums();
      List<List<String>> history = db.query("SELECT version, checksum, success FROM flyway_schema_history");

      assertThatThrownBy(() -> new Migrator(db.target, spec, new RecordingLog()).migrate(false, null))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("V2__break.sql line 4")
          .hasMessageContaining("column \"missing_column\" does not exist")
          .hasMessageContaining("Statement: ALTER TABLE notes ADD CONSTRAINT no_such CHECK (missing_column > 0)")
          .hasMessageContaining("rolled the whole migration back");
      assertThat(db.catalog()).isEqualTo(catalog);
      assertThat(db.rowChecksums()).isEqualTo(rows);
      assertThat(db.query("SELECT version, checksum, success FROM flyway_schema_history")).isEqualTo(history);
    }
  }

  private Path onlyV1(Path m) throws Exception {
    Path d = dir.resolve("v1");
    Files.createDirectories(d);
    Files.copy(m.resolve("V1__create_notes.sql"), d.resolve("V1__create_notes.sql"));
    return d;
  }

  @Test
  void fourConcurrentMigratorProcessesApplyEachVersionExactlyOnce() throws Exception {
    List<String> files = new ArrayList<>(List.of("V1__log.sql", "CREATE TABLE applied (version TEXT NOT NULL,"
        + " backend INT NOT NULL DEFAULT pg_backend_pid());"));
    for (int v = 2; v <= 6; v++) {
      files.add("V" + v + "__step.sql");
      files.add("INSERT INTO applied (version) VALUES ('" + v + "');\nSELECT pg_sleep(0.4);\n"
          + "CREATE TABLE t" + v + " (id INT);");
    }
    Path m = TestDatabase.files(dir.resolve("m"), files.toArray(String[]::new));
    try (TestDatabase db = TestDatabase.create("concurrent")) {
      List<Process> processes = new ArrayList<>();
      List<Path> outputs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Path out = dir.resolve("out" + i + ".txt");
        outputs.add(out);
        processes.add(MigratorProcess.start(db.target, m, out, Map.of()));
      }
      for (int i = 0; i < 4; i++) {
        assertThat(processes.get(i).waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(processes.get(i).exitValue()).as(Files.readString(outputs.get(i))).isZero();
      }
      assertThat(db.query("SELECT version, count(*) FROM applied GROUP BY version ORDER BY version"))
          .containsExactly(List.of("2", "1"), List.of("3", "1"), List.of("4", "1"), List.of("5", "1"),
              List.of("6", "1"));
      assertThat(db.query("SELECT version, count(*) FROM flyway_schema_history WHERE success GROUP BY version"
          + " ORDER BY version::int")).hasSize(6).allSatisfy(r -> assertThat(r.get(1)).isEqualTo("1"));
    }
  }

  @Test
  void waitingForTheLockLogsWhoHoldsIt() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__x.sql", "CREATE TABLE x (id INT);");
    try (TestDatabase db = TestDatabase.create("lockwait")) {
      RecordingLog log = new RecordingLog();
      long key = MigrationLock.key("public", "flyway_schema_history");
      try (Connection holder = java.sql.DriverManager.getConnection(db.target.url() + "?ApplicationName=release-train-42",
          TestDatabase.USER, TestDatabase.PASSWORD)) {
        try (PreparedStatement ps = holder.prepareStatement("SELECT pg_advisory_lock(?)")) {
          ps.setLong(1, key);
          ps.execute();
        }
        CompletableFuture<Migrator.Outcome> run = CompletableFuture.supplyAsync(
            () -> new Migrator(db.target, TestDatabase.spec(m), log).migrate(false, null));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
          while (!log.text().contains("Waiting for the migration lock, held by pid")) {
            Thread.sleep(100);
          }
        });
        assertThat(db.query("SELECT count(*) FROM pg_tables WHERE tablename = 'x'").get(0).get(0)).isEqualTo("0");
        assertThat(log.text()).contains("user " + TestDatabase.USER, "application 'release-train-42'",
            "last statement: SELECT pg_advisory_lock");
        try (PreparedStatement ps = holder.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          ps.setLong(1, key);
          ps.execute();
        }
        Migrator.Outcome out = assertTimeoutPreemptively(HANG_GUARD, () -> run.get());
        assertThat(out.appliedNow()).isEqualTo(1);
      }
    }
  }

  @Test
  void aMigratorKilledWithSigkillMidMigrationLeavesADatabaseTheNextRunMigrates() throws Exception {
    Path slow = TestDatabase.files(dir.resolve("slow"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT);",
        "V2__slow.sql", "CREATE TABLE half_done (id INT);\nSELECT pg_sleep(600);");
    Path fixed = TestDatabase.files(dir.resolve("fixed"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT);",
        "V2__slow.sql", "CREATE TABLE half_done (id INT);");
    try (TestDatabase db = TestDatabase.create("sigkill")) {
      Process p = MigratorProcess.start(db.target, slow, dir.resolve("killed.txt"), Map.of());
      assertTimeoutPreemptively(HANG_GUARD, () -> {
        while (db.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE"
            + " '%pg_sleep(600)%' AND application_name LIKE 'devplugin migrate%'").isEmpty()) {
          Thread.sleep(100);
        }
      });
      p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no clean disconnect
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(137);

      RecordingLog log = new RecordingLog();
      Migrator.Outcome out = assertTimeoutPreemptively(HANG_GUARD,
          () -> new Migrator(db.target, TestDatabase.spec(fixed), log).migrate(false, null));
      assertThat(out.appliedNow()).isEqualTo(1);
      assertThat(out.schemaVersion()).isEqualTo("2");
      assertThat(db.query("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank"))
          .containsExactly(List.of("1", "t"), List.of("2", "t"));
    }
  }

  @Test
  void createIndexConcurrentlyCompletes() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT);\n"
            + "INSERT INTO notes (text) SELECT 'n' || g FROM generate_series(1, 5000) g;",
        "V2__index.sql", "CREATE INDEX CONCURRENTLY notes_text_idx ON notes (text);",
        "V3__after.sql", "CREATE TABLE after_index (id INT);");
    try (TestDatabase db = TestDatabase.create("concurrently")) {
      Migrator.Outcome out = assertTimeoutPreemptively(HANG_GUARD,
          () -> new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null));
      assertThat(out.appliedNow()).isEqualTo(3);
      assertThat(db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'notes_text_idx'::regclass"))
          .containsExactly(List.of("t"));
    }
  }

  @Test
  void aRestoreFromBackupGivesBackIdenticalSchemaAndData() throws Exception {
    Path v1 = TestDatabase.files(dir.resolve("v1"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL,"
            + " tags TEXT[], meta JSONB);\nINSERT INTO notes (text, tags, meta) SELECT 'note ' || g, ARRAY['a', 'b'],"
            + " jsonb_build_object('n', g) FROM generate_series(1, 500) g;");
    Path v2 = TestDatabase.files(dir.resolve("v2"),
        "V1__create_notes.sql", Files.readString(v1.resolve("V1__create_notes.sql")),
        "V2__change.sql", "UPDATE notes SET text = upper(text);\nDELETE FROM notes WHERE id % 3 = 0;\n"
            + "CREATE TABLE extra (id INT);\nALTER TABLE notes ADD COLUMN flag BOOLEAN;");
    try (TestDatabase db = TestDatabase.create("restore")) {
      RecordingLog log = new RecordingLog();
      new Migrator(db.target, TestDatabase.spec(v1), log).migrate(false, null);
      Map<String, String> catalog = db.catalog();
      Map<String, String> rows = db.rowChecksums();
      List<List<String>> history = db.query("SELECT version, checksum FROM flyway_schema_history");

      Path backups = dir.resolve("backups");
      Migrator.Outcome out = new Migrator(db.target, TestDatabase.spec(v2), log)
          .migrate(false, new Migrator.BackupRequest(backups, new PgTools(null)));
      assertThat(out.backup()).exists();
      assertThat(Backups.checksumFile(out.backup())).content().startsWith(Backups.sha256(out.backup()) + "  ");
      assertThat(db.rowChecksums()).isNotEqualTo(rows);

      new Rollback(db.target, TestDatabase.spec(v2), log).restore(out.backup(), null, new PgTools(null));
      assertThat(db.catalog()).isEqualTo(catalog);
      assertThat(db.rowChecksums()).isEqualTo(rows);
      assertThat(db.query("SELECT version, checksum FROM flyway_schema_history")).isEqualTo(history);

      // after the restore, migrate applies V2 again
      assertThat(new Migrator(db.target, TestDatabase.spec(v2), log).migrate(false, null).appliedNow()).isEqualTo(1);
    }
  }

  @Test
  void aDamagedBackupIsRefusedAndNothingIsRestored() throws Exception {
    Path v1 = TestDatabase.files(dir.resolve("v1"), "V1__t.sql", "CREATE TABLE t (id INT); INSERT INTO t VALUES (1);",
        "V2__u.sql", "INSERT INTO t VALUES (2);");
    try (TestDatabase db = TestDatabase.create("damaged")) {
      new Migrator(db.target, TestDatabase.spec(onlyFirst(v1)), new RecordingLog()).migrate(false, null);
      Migrator.Outcome out = new Migrator(db.target, TestDatabase.spec(v1), new RecordingLog())
          .migrate(false, new Migrator.BackupRequest(dir.resolve("b"), new PgTools(null)));
      Files.write(out.backup(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
      Map<String, String> rows = db.rowChecksums();
      assertThatThrownBy(() -> new Rollback(db.target, TestDatabase.spec(v1), new RecordingLog())
          .restore(out.backup(), null, new PgTools(null)))
          .isInstanceOf(UserError.class).hasMessageContaining("does not match its checksum");
      assertThat(db.rowChecksums()).isEqualTo(rows);
    }
  }

  private Path onlyFirst(Path m) throws Exception {
    Path d = dir.resolve("first");
    Files.createDirectories(d);
    Files.copy(m.resolve("V1__t.sql"), d.resolve("V1__t.sql"));
    return d;
  }

  @Test
  void aMissingPgDumpIsAClearErrorBeforeAnythingChanges() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__t.sql", "CREATE TABLE t (id INT);");
    Path empty = Files.createDirectories(dir.resolve("no-pg-dump"));
    try (TestDatabase db = TestDatabase.create("nopgdump")) {
      assertThatThrownBy(() -> new Migrator(db.target, TestDatabase.spec(m), new RecordingLog())
          .migrate(false, new Migrator.BackupRequest(dir.resolve("b"), new PgTools(empty.toString()))))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("pg_dump was not found in " + empty)
          .hasMessageContaining("<database><pgBinDirectory>");
      assertThat(db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").get(0).get(0)).isEqualTo("0");
    }
  }

  @Test
  void aTooOldPgDumpIsAClearErrorBeforeAnythingChanges() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__t.sql", "CREATE TABLE t (id INT);");
    Path bin = Files.createDirectories(dir.resolve("old-bin"));
    Path fake = bin.resolve("pg_dump");
    Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
    fake.toFile().setExecutable(true);
    try (TestDatabase db = TestDatabase.create("oldpgdump")) {
      assertThatThrownBy(() -> new Migrator(db.target, TestDatabase.spec(m), new RecordingLog())
          .migrate(false, new Migrator.BackupRequest(dir.resolve("b"), new PgTools(bin.toString()))))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("pg_dump 9.6 (" + fake + ") is older than the PostgreSQL 15")
          .hasMessageContaining("postgresql-client-15");
      assertThat(db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").get(0).get(0)).isEqualTo("0");
    }
  }

  @Test
  void wrongCredentialsFailNamingTheSettingsWithoutTheSecret() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__t.sql", "CREATE TABLE t (id INT);");
    try (TestDatabase db = TestDatabase.create("wrongpw")) {
      DbTarget wrong = new DbTarget(db.target.url(), TestDatabase.USER, "wrong-secret-5c1e", "-Ddevplugin.db.url",
          "-Ddevplugin.db.user", "the password of settings.xml server 'prod-db' (-Ddevplugin.db.serverId)", 5);
      assertThatThrownBy(() -> new Migrator(wrong, TestDatabase.spec(m), new RecordingLog()).migrate(false, null))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("as '" + TestDatabase.USER + "' (-Ddevplugin.db.user): the password was rejected")
          .hasMessageContaining("settings.xml server 'prod-db' (-Ddevplugin.db.serverId)")
          .hasMessageNotContaining("wrong-secret-5c1e");
      // no password at all, where the server asks for one: said so, with where to give it (not "start the database")
      DbTarget none = new DbTarget(db.target.url(), TestDatabase.USER, null, "-Ddevplugin.db.url",
          "-Ddevplugin.db.user", "no password (give one with <database><serverId>, ...)", 5);
      assertThatThrownBy(() -> new Migrator(none, TestDatabase.spec(m), new RecordingLog()).migrate(false, null))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("asks for a password for '" + TestDatabase.USER + "' (-Ddevplugin.db.user), and none"
              + " is configured")
          .hasMessageContaining("Fix: give the password with <database><serverId>")
          .hasMessageNotContaining("start the database");
      DbTarget noUser = new DbTarget(db.target.url(), "no_such_role_x", "pw", "-Ddevplugin.db.url",
          "<database><user>", "DEVPLUGIN_DB_PASSWORD", 5);
      assertThatThrownBy(() -> new Migrator(noUser, TestDatabase.spec(m), new RecordingLog()).migrate(false, null))
          .isInstanceOf(UserError.class).hasMessageContaining("<database><user>");
      DbTarget noDb = db.target.withDatabase("no_such_database_x");
      assertThatThrownBy(() -> new Migrator(noDb, TestDatabase.spec(m), new RecordingLog()).migrate(false, null))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("The database 'no_such_database_x' does not exist")
          .hasMessageContaining("-Ddevplugin.db.url");
    }
  }

  @Test
  void anUnreachableHostFailsWithinTheConnectTimeoutNamingTheSetting() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__t.sql", "CREATE TABLE t (id INT);");
    int closedPort = DeadEnds.closedPort();
    DbTarget refused = new DbTarget("jdbc:postgresql://127.0.0.1:" + closedPort + "/app", "app", "pw",
        "<environments><prod><database><url>", "<database><user>", "DEVPLUGIN_DB_PASSWORD", 3);
    assertTimeoutPreemptively(HANG_GUARD, () -> assertThatThrownBy(
        () -> new Migrator(refused, TestDatabase.spec(m), new RecordingLog()).migrate(false, null))
        .isInstanceOf(EnvironmentError.class)
        .hasMessageContaining("Cannot reach PostgreSQL at 127.0.0.1:" + closedPort
            + " (<environments><prod><database><url>)"));

    // a host that accepts connections but never answers (a firewall black hole, a hung server)
    try (DeadEnds.Silent silent = new DeadEnds.Silent()) {
      int timeoutSeconds = 3;
      DbTarget blackHole = new DbTarget("jdbc:postgresql://127.0.0.1:" + silent.port() + "/app", "app", "pw",
          "-Ddevplugin.db.url", "<database><user>", "DEVPLUGIN_DB_PASSWORD", timeoutSeconds);
      Migrator migrator = new Migrator(blackHole, TestDatabase.spec(m), new RecordingLog());
      long started = System.nanoTime();
      Throwable failure = assertTimeoutPreemptively(HANG_GUARD,
          () -> catchThrowable(() -> migrator.migrate(false, null)));
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(failure).isInstanceOf(EnvironmentError.class)
          .hasMessageContaining("no answer within " + timeoutSeconds + " s")
          .hasMessageContaining("-Ddevplugin.db.url")
          .hasMessageContaining("<database><connectTimeout>");
      // the driver gave up because the connect (login) timeout ran out, nothing else
      assertThat(causes(failure)).anyMatch(ReliabilityTest::isConnectTimeout);
      assertThat(silent.accepted).as("the TCP connection was made: the wait was for the server's answer").isNotEmpty();
      // one wait of the connect timeout: not cut short, not repeated (a retry would take twice as long), not unbounded
      assertThat(elapsedMillis).as("milliseconds until the failure, with a %d s connect timeout", timeoutSeconds)
          .isGreaterThanOrEqualTo(timeoutSeconds * 1000L - 100)
          .isLessThan(2 * timeoutSeconds * 1000L);
    }
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
      out.add(c);
    }
    return out;
  }

  /** pgjdbc's login timeout (SQLSTATE 08001, "Connection attempt timed out.") or a socket's connect timeout. */
  private static boolean isConnectTimeout(Throwable t) {
    return t instanceof java.net.SocketTimeoutException || (t instanceof java.sql.SQLException s
        && "08001".equals(s.getSQLState()) && s.getMessage() != null && s.getMessage().contains("timed out"));
  }
}
