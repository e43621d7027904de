package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollback's pre-checks, non-transactional undo scripts and partial rollbacks, on real PostgreSQL. */
class RollbackTest {
  @TempDir
  Path dir;

  private static final String NOTES = "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT);\n"
      + "INSERT INTO notes (text) SELECT 'n' || g FROM generate_series(1, 5000) g;";

  private List<List<String>> history(TestDatabase db) {
    return db.query("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank");
  }

  @Test
  void aNonTransactionalUndoRunsOutsideATransaction() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__notes.sql", NOTES, "U1__notes.sql", "DROP TABLE notes;",
        "V2__index.sql", "CREATE INDEX CONCURRENTLY notes_text_idx ON notes (text);",
        "U2__index.sql", "DROP INDEX CONCURRENTLY notes_text_idx;");
    try (TestDatabase db = TestDatabase.create("undo_concurrently")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      RecordingLog log = new RecordingLog();
      Rollback.Outcome out = new Rollback(db.target, TestDatabase.spec(m), log)
          .run(new Rollback.Request(1, null), null);
      assertThat(out.undone()).extracting(Rollback.Undone::version).containsExactly("2");
      assertThat(log.text()).contains("Undoing version 2 (index) with U2__index.sql (outside a transaction: it holds"
          + " a statement that cannot run in one)");
      assertThat(db.query("SELECT to_regclass('notes_text_idx') IS NULL")).containsExactly(List.of("t"));
      assertThat(history(db)).containsExactly(List.of("1", "t"));
      assertThat(db.query("SELECT version FROM devplugin_rollback_history")).containsExactly(List.of("2"));
      // migrate builds the index again
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      assertThat(db.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'notes_text_idx'::regclass"))
          .containsExactly(List.of("t"));
    }
  }

  @Test
  void aPartialRollbackSaysWhichVersionsWereUndoneAndWhichRemain() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__a.sql", "CREATE TABLE a (id INT);", "U1__a.sql", "DROP TABLE not_there;",
        "V2__b.sql", "CREATE TABLE b (id INT);", "U2__b.sql", "DROP TABLE b;",
        "V3__c.sql", "CREATE TABLE c (id INT);", "U3__c.sql", "DROP TABLE c;");
    try (TestDatabase db = TestDatabase.create("undo_partial")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      assertThatThrownBy(() -> new Rollback(db.target, TestDatabase.spec(m), new RecordingLog())
          .run(new Rollback.Request(3, null), null))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("U1__a.sql")
          .hasMessageContaining("The undo of version 1 was rolled back as a whole")
          .hasMessageEndingWith("\nUndone before the failure (committed): versions 3, 2; still applied of those"
              + " requested: version 1.");
      assertThat(history(db)).containsExactly(List.of("1", "t"));
      assertThat(db.query("SELECT to_regclass('a') IS NOT NULL, to_regclass('b') IS NULL, to_regclass('c') IS NULL"))
          .containsExactly(List.of("t", "t", "t"));
    }
  }

  @Test
  void theBaselineIsRefusedNamingTheVersionToStopAt() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V2__b.sql", "CREATE TABLE b (id INT);",
        "U2__b.sql", "DROP TABLE b;");
    try (TestDatabase db = TestDatabase.create("undo_baseline")) {
      Flyway.configure().dataSource(Connections.dataSource(db.target, "test")).baselineVersion("1").load().baseline();
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      assertThatThrownBy(() -> new Rollback(db.target, TestDatabase.spec(m), new RecordingLog())
          .run(new Rollback.Request(2, null), null))
          .isInstanceOf(UserError.class)
          .hasMessage("Rollback refused, nothing was changed: version 1 is Flyway's baseline, which has no undo."
              + " Fix: roll back only the migrations after the baseline (-Ddevplugin.rollback.to=1).");
      assertThat(history(db)).containsExactly(List.of("1", "t"), List.of("2", "t"));
    }
  }

  @Test
  void aJavaMigrationIsRefusedByName() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__a.sql", "CREATE TABLE a (id INT);", "U1__a.sql",
        "DROP TABLE a;");
    try (TestDatabase db = TestDatabase.create("undo_java")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      // the history row Flyway writes for an applied Java migration
      db.exec("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
          + " installed_by, execution_time, success) VALUES (2, '2', 'Seed', 'JDBC', 'db.migration.V2__Seed', NULL,"
          + " current_user, 1, true)");
      assertThatThrownBy(() -> new Rollback(db.target, TestDatabase.spec(m), new RecordingLog())
          .run(new Rollback.Request(2, null), null))
          .isInstanceOf(UserError.class)
          .hasMessage("Rollback refused, nothing was changed: version 2 (db.migration.V2__Seed) is a Java migration"
              + " (JDBC), which has no undo script. Fix: roll back only the migrations after it, or restore a backup"
              + " taken before these migrations with -Ddevplugin.rollback.backup=FILE (pg_restore).");
      assertThat(history(db)).containsExactly(List.of("1", "t"), List.of("2", "t"));
      assertThat(db.query("SELECT to_regclass('a') IS NOT NULL")).containsExactly(List.of("t"));
    }
  }

  @Test
  void aMissingUndoScriptAloneIsReportedAsMissing() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__a.sql", "CREATE TABLE a (id INT);",
        "V2__b.sql", "CREATE INDEX CONCURRENTLY a_idx ON a (id);", "U2__b.sql", "DROP INDEX CONCURRENTLY a_idx;");
    try (TestDatabase db = TestDatabase.create("undo_missing")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      assertThatThrownBy(() -> new Rollback(db.target, TestDatabase.spec(m), new RecordingLog())
          .run(new Rollback.Request(2, null), null))
          .isInstanceOf(UserError.class)
          .hasMessage("Rollback refused, nothing was changed: version 1 (V1__a.sql) has no undo script U1__a.sql."
              + " Fix: add the missing undo script next to the migrations, or restore a backup taken before these"
              + " migrations with -Ddevplugin.rollback.backup=FILE (pg_restore).");
      assertThat(history(db)).containsExactly(List.of("1", "t"), List.of("2", "t"));
    }
  }

  @Test
  void whatAnInterruptedMigrationLeftRefusesTheRollbackNamingRepair() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__a.sql", "CREATE TABLE a (id INT);", "U1__a.sql",
        "DROP TABLE a;");
    try (TestDatabase db = TestDatabase.create("undo_leftover")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      db.exec("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
          + " installed_by, execution_time, success) VALUES (2, '2', 'index', 'SQL', 'V2__index.sql', 1,"
          + " current_user, 1, false)");
      assertThatThrownBy(() -> new Rollback(db.target, TestDatabase.spec(m), new RecordingLog())
          .run(new Rollback.Request(1, null), null))
          .isInstanceOf(UserError.class)
          .hasMessage("rollback refused, nothing was changed: an interrupted non-transactional migration or undo"
              + " left failed history row of version 2 (V2__index.sql, installed_rank 2). Fix: run mvn"
              + " devplugin:repair (add -Ddevplugin.repair.dryRun=true to see what it does first), then rollback"
              + " again.");
      assertThat(history(db)).containsExactly(List.of("1", "t"), List.of("2", "f"));
    }
  }
}
