package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.config.ConfigFixtures;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <database><schemas>} with two schemas (issue 16 item 6), through the migrate and rollback goals against the
 * test environment's PostgreSQL: the first schema holds the history table and the unqualified objects, every listed
 * schema is created, the rollback undoes objects in both and records itself next to the history table; nothing
 * lands in {@code public}.
 */
class MultiSchemaTest {
  @TempDir
  Path dir;

  private static final String TABLES = "SELECT table_schema || '.' || table_name FROM information_schema.tables"
      + " WHERE table_schema IN ('public', 'app_main', 'audit_log') ORDER BY 1";

  @Test
  void migrateAndRollbackManageEveryListedSchemaWithTheHistoryInTheFirst() throws Exception {
    Path m = TestDatabase.files(dir.resolve("migrations"),
        "V1__notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "U1__notes.sql", "DROP TABLE notes;",
        "V2__audit.sql", "CREATE TABLE audit_log.events (id BIGSERIAL PRIMARY KEY, note_id BIGINT);",
        "U2__audit.sql", "DROP TABLE audit_log.events;");
    try (TestDatabase db = TestDatabase.create("schemas")) {
      EffectiveConfig cfg = ConfigFixtures.config().basedir(dir)
          .section("database", d -> d.leaf("enabled", "true").leaf("url", db.target.url())
              .leaf("user", TestDatabase.USER)
              .child("locations", l -> l.leaf("location", "filesystem:" + m))
              .child("schemas", s -> s.leaf("schema", "app_main").leaf("schema", "audit_log")))
          .load("dev");
      assertThat(cfg.database().schemas()).containsExactly("app_main", "audit_log");

      RecordingLog log = new RecordingLog();
      Migrator.Outcome outcome = MigrateGoal.run(cfg, GoalFixture.secrets(cfg), log, false).orElseThrow();
      assertThat(outcome.appliedNow()).isEqualTo(2);
      assertThat(log.text()).contains("to schema \"app_main\" of ", "schema \"app_main\" is now at version 2");
      assertThat(db.query(TABLES)).containsExactly(List.of("app_main.flyway_schema_history"),
          List.of("app_main.notes"), List.of("audit_log.events"));

      RecordingLog again = new RecordingLog();
      MigrateGoal.run(cfg, GoalFixture.secrets(cfg), again, false);
      assertThat(again.text()).contains("Schema \"app_main\" is up to date at version 2: nothing to migrate.");

      Rollback.Outcome undone = RollbackGoal.run(cfg, GoalFixture.secrets(cfg), new RecordingLog(),
          new RollbackGoal.Request(2, null, null)).orElseThrow();
      assertThat(undone.undone()).extracting(Rollback.Undone::version).containsExactly("2", "1");
      assertThat(db.query(TABLES)).containsExactly(List.of("app_main." + MigrationSpec.AUDIT_TABLE),
          List.of("app_main.flyway_schema_history"));
      assertThat(db.query("SELECT count(*) FROM app_main.flyway_schema_history WHERE version IS NOT NULL"))
          .containsExactly(List.of("0"));
      assertThat(db.query("SELECT count(*) FROM app_main." + MigrationSpec.AUDIT_TABLE))
          .containsExactly(List.of("2"));

      // and migrate puts both schemas' objects back
      MigrateGoal.run(cfg, GoalFixture.secrets(cfg), new RecordingLog(), false);
      assertThat(db.query(TABLES)).contains(List.of("app_main.notes"), List.of("audit_log.events"));
    }
  }
}
