package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
