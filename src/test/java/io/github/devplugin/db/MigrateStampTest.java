package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate} with nothing pending decided from the stamp, and every change that sends it back to Flyway. */
class MigrateStampTest {
  private static final String SKIPPED = "Flyway is not asked again";

  @TempDir
  Path dir;

  private Path migrations() throws Exception {
    return TestDatabase.files(dir.resolve("migrations"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "U1__create_notes.sql", "DROP TABLE notes;",
        "V1_1__add_tags.sql", "CREATE TABLE tags (name TEXT PRIMARY KEY);",
        "U1_1__add_tags.sql", "DROP TABLE tags;");
  }

  private UpToDate stamp() {
    return UpToDate.forGoal(dir.resolve("devplugin"), "migrate", "dev");
  }

  private Migrator.Outcome migrate(TestDatabase db, Path migrations, BuildLog log) {
    return new Migrator(db.target, TestDatabase.spec(migrations), log, "<database><lockTimeout>", stamp())
        .migrate(false, null);
  }

  @Test
  void nothingPendingIsDecidedFromTheStampWithTheTableFlywayGives() throws Exception {
    try (TestDatabase db = TestDatabase.create("stamp")) {
      Path migrations = migrations();
      assertThat(migrate(db, migrations, new RecordingLog()).appliedNow()).isEqualTo(2);
      assertThat(stamp().stampFile()).isRegularFile();
      // Flyway's answer, without the stamp
      Migrator.Outcome flyway = new Migrator(db.target, TestDatabase.spec(migrations), new RecordingLog())
          .migrate(false, null);

      RecordingLog log = new RecordingLog();
      Migrator.Outcome stamped = migrate(db, migrations, log);
      assertThat(log.text()).contains(SKIPPED)
          .contains("INFO Schema \"public\" is up to date at version 1.1: nothing to migrate.");
      assertThat(stamped.rows()).isEqualTo(flyway.rows()).hasSize(2);
      assertThat(stamped.rows()).extracting(Migrator.Row::version).containsExactly("1", "1.1");
      assertThat(stamped.schemaVersion()).isEqualTo(flyway.schemaVersion()).isEqualTo("1.1");
      assertThat(stamped.appliedNow()).isZero();
      assertThat(stamped.pending()).isZero();

      // a new migration changes the files' fingerprint: Flyway applies it
      TestDatabase.files(migrations, "V2__add_title.sql", "ALTER TABLE notes ADD COLUMN title TEXT;",
          "U2__add_title.sql", "ALTER TABLE notes DROP COLUMN title;");
      RecordingLog applying = new RecordingLog();
      Migrator.Outcome applied = migrate(db, migrations, applying);
      assertThat(applied.appliedNow()).isEqualTo(1);
      assertThat(applying.text()).doesNotContain(SKIPPED);
      // the table read from the history table after applying is Flyway's, with the one applied now marked
      List<Migrator.Row> status = new Migrator(db.target, TestDatabase.spec(migrations), BuildLog.NONE).status();
      assertThat(applied.rows()).extracting(Migrator.Row::appliedNow).containsExactly(false, false, true);
      assertThat(applied.rows()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("appliedNow")
          .isEqualTo(status);
      assertThat(applied.schemaVersion()).isEqualTo("2");
      RecordingLog after = new RecordingLog();
      assertThat(migrate(db, migrations, after).schemaVersion()).isEqualTo("2");
      assertThat(after.text()).contains(SKIPPED);
    }
  }

  @Test
  void otherSchemasOrAnotherHistoryTableAreDecidedByFlyway() throws Exception {
    try (TestDatabase db = TestDatabase.create("stamp_schemas")) {
      Path migrations = migrations();
      migrate(db, migrations, new RecordingLog());
      MigrationSpec listed = new MigrationSpec(List.of("filesystem:" + migrations.toAbsolutePath()),
          List.of("public"), "flyway_schema_history", 60, null);
      RecordingLog log = new RecordingLog();
      assertThat(new Migrator(db.target, listed, log, "<database><lockTimeout>", stamp()).migrate(false, null)
          .schemaVersion()).isEqualTo("1.1");
      assertThat(log.text()).doesNotContain(SKIPPED);
      MigrationSpec otherTable = new MigrationSpec(List.of("filesystem:" + migrations.toAbsolutePath()),
          List.of(), "other_history", 60, null);
      assertThatThrownBy(() -> new Migrator(db.target, otherTable, BuildLog.NONE, "<database><lockTimeout>",
          stamp()).migrate(false, null)).hasMessageContaining("no schema history table");
    }
  }

  @Test
  void anEditedAppliedMigrationIsStillRefusedByFlywaysValidation() throws Exception {
    try (TestDatabase db = TestDatabase.create("stamp_edit")) {
      Path migrations = migrations();
      migrate(db, migrations, new RecordingLog());
      migrate(db, migrations, new RecordingLog());
      Files.writeString(migrations.resolve("V1__create_notes.sql"),
          "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT);");
      RecordingLog log = new RecordingLog();
      assertThatThrownBy(() -> migrate(db, migrations, log)).isInstanceOf(ProblemsException.class)
          .hasMessageContaining("The applied migrations do not match the migration files")
          .hasMessageContaining("V1__create_notes.sql");
      assertThat(log.text()).doesNotContain(SKIPPED);
    }
  }

  @Test
  void aChangedHistoryTableGoesBackToFlyway() throws Exception {
    try (TestDatabase db = TestDatabase.create("stamp_history")) {
      Path migrations = migrations();
      migrate(db, migrations, new RecordingLog());
      db.exec("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
      RecordingLog log = new RecordingLog();
      assertThatThrownBy(() -> migrate(db, migrations, log)).isInstanceOf(ProblemsException.class)
          .hasMessageContaining("V1__create_notes.sql");
      assertThat(log.text()).doesNotContain(SKIPPED);

      // a rollback deletes history rows: the next migrate applies again
      db.exec("UPDATE flyway_schema_history SET checksum = checksum - 1 WHERE version = '1'");
      migrate(db, migrations, new RecordingLog());
      new Rollback(db.target, TestDatabase.spec(migrations), BuildLog.NONE).run(new Rollback.Request(1, null), null);
      assertThat(migrate(db, migrations, new RecordingLog()).appliedNow()).isEqualTo(1);
    }
  }

  @Test
  void withASqlCallbackEveryMigrateAsksFlyway() throws Exception {
    // Flyway runs callbacks on its own commands (afterInfo.sql on info(), the one a migrate with nothing pending
    // runs): no stamp is kept, so that they keep running
    try (TestDatabase db = TestDatabase.create("stamp_callback")) {
      Path migrations = TestDatabase.files(migrations(), "afterInfo.sql",
          "CREATE SCHEMA IF NOT EXISTS audit; CREATE TABLE IF NOT EXISTS audit.runs (n INT);"
          + " INSERT INTO audit.runs VALUES (1);");
      for (int i = 0; i < 3; i++) {
        RecordingLog log = new RecordingLog();
        migrate(db, migrations, log);
        assertThat(log.text()).doesNotContain(SKIPPED);
      }
      assertThat(Integer.parseInt(db.query("SELECT count(*) FROM audit.runs").get(0).get(0)))
          .isGreaterThanOrEqualTo(3);
      assertThat(stamp().stampFile()).doesNotExist();
    }
  }

  @Test
  void aDryRunAndARemovedLocationAreDecidedByFlyway() throws Exception {
    try (TestDatabase db = TestDatabase.create("stamp_location")) {
      Path migrations = migrations();
      migrate(db, migrations, new RecordingLog());
      RecordingLog dry = new RecordingLog();
      new Migrator(db.target, TestDatabase.spec(migrations), dry, "<database><lockTimeout>", stamp())
          .migrate(true, null);
      assertThat(dry.text()).doesNotContain(SKIPPED).contains("Dry run");
      for (String name : List.of("V1__create_notes.sql", "U1__create_notes.sql", "V1_1__add_tags.sql",
          "U1_1__add_tags.sql")) {
        Files.delete(migrations.resolve(name));
      }
      Files.delete(migrations);
      RecordingLog log = new RecordingLog();
      assertThatThrownBy(() -> migrate(db, migrations, log)).isInstanceOf(RuntimeException.class);
      assertThat(log.text()).doesNotContain(SKIPPED);
    }
  }
}
