package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigratorTest {
  @TempDir
  Path dir;

  private Path notes() throws Exception {
    return TestDatabase.files(dir.resolve("migrations"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "U1__create_notes.sql", "DROP TABLE notes;",
        "V2__add_created_at.sql", "ALTER TABLE notes ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now();\n"
            + "CREATE INDEX notes_created_at_idx ON notes (created_at);",
        "U2__add_created_at.sql", "DROP INDEX notes_created_at_idx;\nALTER TABLE notes DROP COLUMN created_at;",
        "V3__create_tags.sql", "CREATE TABLE tags (note_id BIGINT NOT NULL REFERENCES notes (id), tag VARCHAR(64)"
            + " NOT NULL, PRIMARY KEY (note_id, tag));",
        "U3__create_tags.sql", "DROP TABLE tags;");
  }

  @Test
  void dryRunListsPendingAndChangesNothingThenMigrateAppliesAndPrintsTable() throws Exception {
    try (TestDatabase db = TestDatabase.create("migrate")) {
      RecordingLog log = new RecordingLog();
      Migrator m = new Migrator(db.target, TestDatabase.spec(notes()), log);

      Migrator.Outcome dry = m.migrate(true, null);
      assertThat(dry.pending()).isEqualTo(3);
      assertThat(dry.rows()).extracting(Migrator.Row::state).containsOnly("pending");
      assertThat(db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").get(0).get(0))
          .isEqualTo("0");

      Migrator.Outcome out = m.migrate(false, null);
      assertThat(out.appliedNow()).isEqualTo(3);
      assertThat(out.schemaVersion()).isEqualTo("3");
      List<String> table = Migrator.table(out.rows());
      assertThat(String.join("\n", table)).contains("| 1       | create notes", "success (now)", "create tags");
      assertThat(db.query("SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
          .containsExactly(List.of("1"), List.of("2"), List.of("3"));

      Migrator.Outcome again = m.migrate(false, null);
      assertThat(again.appliedNow()).isZero();
      assertThat(log.text()).contains("is up to date at version 3: nothing to migrate");
    }
  }

  @Test
  void rollbackByCountAndToVersionUndoesInReverseWithAuditAndMigrateReappliesCleanly() throws Exception {
    try (TestDatabase db = TestDatabase.create("rollback")) {
      RecordingLog log = new RecordingLog();
      MigrationSpec spec = TestDatabase.spec(notes());
      new Migrator(db.target, spec, log).migrate(false, null);
      Map<String, String> atV3 = db.catalog();

      Rollback.Outcome one = new Rollback(db.target, spec, log).run(new Rollback.Request(1, null), null);
      assertThat(one.undone()).extracting(Rollback.Undone::version).containsExactly("3");
      assertThat(one.schemaVersion()).isEqualTo("2");
      assertThat(db.catalog()).doesNotContainKey("relation public.tags");

      Rollback.Outcome toOne = new Rollback(db.target, spec, log).run(new Rollback.Request(null, "1"), null);
      assertThat(toOne.undone()).extracting(Rollback.Undone::version).containsExactly("2");
      assertThat(db.catalog()).containsKey("relation public.notes").doesNotContainKey("column public.notes.created_at");
      assertThat(db.query("SELECT version, undo_script FROM devplugin_rollback_history ORDER BY id"))
          .containsExactly(List.of("3", "U3__create_tags.sql"), List.of("2", "U2__add_created_at.sql"));

      Migrator.Outcome again = new Migrator(db.target, spec, log).migrate(false, null);
      assertThat(again.appliedNow()).isEqualTo(2);
      assertThat(db.catalog()).isEqualTo(atV3);
    }
  }

  @Test
  void missingUndoScriptRefusesTheWholeRollbackBeforeChangingAnything() throws Exception {
    try (TestDatabase db = TestDatabase.create("noundo")) {
      Path m = notes();
      java.nio.file.Files.delete(m.resolve("U2__add_created_at.sql"));
      MigrationSpec spec = TestDatabase.spec(m);
      new Migrator(db.target, spec, new RecordingLog()).migrate(false, null);
      Map<String, String> before = db.catalog();

      assertThatThrownBy(() -> new Rollback(db.target, spec, new RecordingLog()).run(new Rollback.Request(2, null),
          null))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("Rollback refused, nothing was changed")
          .hasMessageContaining("has no undo script U2__add_created_at.sql")
          .hasMessageContaining("-Ddevplugin.rollback.backup=FILE");
      assertThat(db.catalog()).isEqualTo(before);
      assertThat(db.query("SELECT count(*) FROM flyway_schema_history").get(0).get(0)).isEqualTo("3");
    }
  }
}
