package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.testing.DeadEnds;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image's migrator, run as a plain Java process without Maven on its class path. */
class MigratorMainTest {
  @TempDir
  Path dir;

  @Test
  void migratesFromTheEnvironmentAndPrintsTheTableWithoutMaven() throws Exception {
    assertThat(MigratorProcess.classPath()).doesNotContain("maven", "plexus", "sisu", "junit", "zonky", "jackson");
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "V2__index.sql", "CREATE INDEX CONCURRENTLY notes_text_idx ON notes (text);");
    try (TestDatabase db = TestDatabase.create("main")) {
      Path out = dir.resolve("out.txt");
      Process p = MigratorProcess.start(db.target, m, out, Map.of());
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the migrator finishes").isTrue();
      String text = Files.readString(out);
      assertThat(p.exitValue()).as(text).isZero();
      assertThat(text).contains("| 1       | create notes", "| 2       | index", "success (now)")
          .doesNotContain(TestDatabase.PASSWORD);
      assertThat(db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'notes_text_idx'::regclass"))
          .containsExactly(List.of("t"));
    }
  }

  @Test
  void wrongPasswordExitsNonZeroNamingTheVariableWithoutEchoingIt() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__x.sql", "CREATE TABLE x (id INT);");
    try (TestDatabase db = TestDatabase.create("mainpw")) {
      DbTarget wrong = new DbTarget(db.target.url(), db.target.user(), "not-the-password-93a1", "DATABASE_URL",
          "DATABASE_USER", "DATABASE_PASSWORD", 5);
      Path out = dir.resolve("out.txt");
      Process p = MigratorProcess.start(wrong, m, out, Map.of());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String text = Files.readString(out);
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(text).contains("ERROR: Cannot log in to PostgreSQL at", "the password was rejected",
          "check the password given by DATABASE_PASSWORD").doesNotContain("not-the-password-93a1", "\tat ");
    }
  }

  @Test
  void missingUrlIsAClearError() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = MigratorMain.run(Map.of("DATABASE_USER", "x"), new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
        new java.io.PrintStream(err));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("DATABASE_URL is not set");
  }

  /**
   * FLYWAY_SCHEMAS and FLYWAY_TABLE: the history table is the named table in the first schema, unqualified objects go
   * there too, and every listed schema is created; nothing lands in public.
   */
  @Test
  void schemasAndTableComeFromTheEnvironment() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "V2__audit.sql", "CREATE TABLE audit_log.events (id BIGSERIAL PRIMARY KEY, note_id BIGINT);");
    try (TestDatabase db = TestDatabase.create("mainschemas")) {
      Path out = dir.resolve("out.txt");
      Process p = MigratorProcess.start(db.target, m, out,
          Map.of("FLYWAY_SCHEMAS", "app_main,audit_log", "FLYWAY_TABLE", "app_versions"));
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the migrator finishes").isTrue();
      String text = Files.readString(out);
      assertThat(p.exitValue()).as(text).isZero();
      assertThat(db.query("SELECT table_schema || '.' || table_name FROM information_schema.tables"
          + " WHERE table_schema IN ('public', 'app_main', 'audit_log') ORDER BY 1"))
          .containsExactly(List.of("app_main.app_versions"), List.of("app_main.notes"), List.of("audit_log.events"));
      assertThat(db.query("SELECT version, success FROM app_main.app_versions WHERE version IS NOT NULL"
          + " ORDER BY installed_rank")).containsExactly(List.of("1", "t"), List.of("2", "t"));
    }
  }

  /** DEVPLUGIN_LOCK_TIMEOUT bounds the wait for a lock another session holds; the message names the variable. */
  @Test
  void lockTimeoutComesFromTheEnvironmentAndIsNamedWhenItRunsOut() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT);\nINSERT INTO notes (text) VALUES ('a');");
    try (TestDatabase db = TestDatabase.create("mainlock")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      TestDatabase.files(m, "V2__column.sql", "ALTER TABLE notes ADD COLUMN tag TEXT;");
      try (Connection holder = db.connect()) {
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
          st.executeQuery("SELECT * FROM notes FOR UPDATE").close();
        }
        Path out = dir.resolve("out.txt");
        Process p = MigratorProcess.start(db.target, m, out, Map.of("DEVPLUGIN_LOCK_TIMEOUT", "2"));
        // far above the 2 s asked for: a guard against the hang this test is about, not a speed assertion
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the migrator gives up").isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isEqualTo(1);
        assertThat(text).contains("Migration V2__column.sql", "waited 2 s (DEVPLUGIN_LOCK_TIMEOUT) for a lock held by",
            "raise DEVPLUGIN_LOCK_TIMEOUT").doesNotContain("\tat ");
        holder.rollback();
      }
      assertThat(db.query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL"))
          .containsExactly(List.of("1"));
    }
  }

  /**
   * Exit code 2 when the database cannot be reached: a refused port, and a server that accepts but never answers,
   * given up after DEVPLUGIN_CONNECT_TIMEOUT and named in the message.
   */
  @Test
  void anUnreachableDatabaseExitsTwoAndTheConnectTimeoutComesFromTheEnvironment() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__x.sql", "CREATE TABLE x (id INT);");
    int closedPort = DeadEnds.closedPort();
    DbTarget refused = new DbTarget("jdbc:postgresql://127.0.0.1:" + closedPort + "/app", "app", "pw",
        "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", 5);
    Path out = dir.resolve("refused.txt");
    Process p = MigratorProcess.start(refused, m, out, Map.of());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = Files.readString(out);
    assertThat(p.exitValue()).as(text).isEqualTo(2);
    assertThat(text).contains("ERROR: Cannot reach PostgreSQL at 127.0.0.1:" + closedPort + " (DATABASE_URL)")
        .doesNotContain("\tat ");

    try (DeadEnds.Silent silent = new DeadEnds.Silent()) {
      DbTarget blackHole = new DbTarget("jdbc:postgresql://127.0.0.1:" + silent.port() + "/app", "app", "pw",
          "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", 5);
      Path silentOut = dir.resolve("silent.txt");
      Process q = MigratorProcess.start(blackHole, m, silentOut, Map.of("DEVPLUGIN_CONNECT_TIMEOUT", "1"));
      assertThat(q.waitFor(120, TimeUnit.SECONDS)).as("the migrator gives up").isTrue();
      String silentText = Files.readString(silentOut);
      assertThat(q.exitValue()).as(silentText).isEqualTo(2);
      assertThat(silentText).contains("ERROR: Cannot reach PostgreSQL at 127.0.0.1:" + silent.port()
          + " (DATABASE_URL): no answer within 1 s").doesNotContain("\tat ");
      assertThat(silent.accepted).as("the migrator did connect to the silent server").isNotEmpty();
    }
  }

  @Test
  void settingsThatAreNotSecondsAreBadSettingsNamingTheVariable() {
    for (String name : List.of("DEVPLUGIN_CONNECT_TIMEOUT", "DEVPLUGIN_LOCK_TIMEOUT")) {
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      int code = MigratorMain.run(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/x", "DATABASE_USER", "x",
          name, "ten"), new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err));
      assertThat(code).as(name).isEqualTo(1);
      assertThat(err.toString()).contains(name + "='ten' is not a positive number of seconds", "Fix: e.g. " + name);
    }
  }
}
