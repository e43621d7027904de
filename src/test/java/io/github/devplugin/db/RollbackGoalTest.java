package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackGoalTest {
  /** Nothing listens here: a test that gets this far without failing on its arguments would fail differently. */
  static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/nowhere";

  @TempDir
  Path dir;

  private Path migrations() throws Exception {
    return GoalFixture.twoMigrations(dir.resolve("migrations"));
  }

  @Test
  void aBackupCannotBeCombinedWithCountOrTo() throws Exception {
    EffectiveConfig cfg = GoalFixture.config(dir, migrations(), NOWHERE, "dev");
    for (RollbackGoal.Request r : new RollbackGoal.Request[] {new RollbackGoal.Request(1, null, "latest"),
        new RollbackGoal.Request(null, "1", "x.dump"), new RollbackGoal.Request(2, "1", "latest")}) {
      assertThatThrownBy(() -> RollbackGoal.run(cfg, GoalFixture.secrets(cfg), new RecordingLog(), r))
          .as(r.toString()).isInstanceOf(UserError.class)
          .hasMessage("-Ddevplugin.rollback.backup restores a backup; it cannot be combined with"
              + " -Ddevplugin.rollback.count or -Ddevplugin.rollback.to. Fix: give only one of them.");
    }
  }

  @Test
  void blankArgumentsCountAsAbsent() {
    RollbackGoal.Request r = new RollbackGoal.Request(null, "  2 ", " ");
    assertThat(r.to()).isEqualTo("2");
    assertThat(r.backup()).isNull();
    assertThat(new RollbackGoal.Request(null, " ", null).to()).isNull();
  }

  @Test
  void latestIsChosenAgainstTheDatabaseAndOtherFilesAreRelativeToTheProject() {
    assertThat(RollbackGoal.backupFile("latest", dir)).isNull();
    assertThat(RollbackGoal.backupFile("b/x.dump", dir)).isEqualTo(dir.resolve("b/x.dump"));
    assertThat(RollbackGoal.backupFile("/abs/x.dump", dir)).isEqualTo(Path.of("/abs/x.dump"));
  }

  @Test
  void undoesByCountOrDownToAVersionAndRestoresTheLatestBackup() throws Exception {
    try (TestDatabase db = TestDatabase.create("rollback_goal")) {
      EffectiveConfig dev = GoalFixture.config(dir, migrations(), db.target.url(), "dev");
      MigrateGoal.run(dev, GoalFixture.secrets(dev), new RecordingLog(), false);
      RecordingLog log = new RecordingLog();
      Rollback.Outcome one = RollbackGoal.run(dev, GoalFixture.secrets(dev), log,
          new RollbackGoal.Request(1, null, null)).orElseThrow();
      assertThat(one.undone()).extracting(Rollback.Undone::version).containsExactly("2");
      assertThat(log.text()).contains("Rolled back 1 migration; schema is now at version 1. devplugin:migrate"
          + " re-applies them.");
      Rollback.Outcome all = RollbackGoal.run(dev, GoalFixture.secrets(dev), new RecordingLog(),
          new RollbackGoal.Request(null, " 0 ", null)).orElseThrow();
      assertThat(all.undone()).extracting(Rollback.Undone::version).containsExactly("1");

      // prod backs up at version 1 before applying V2; restoring the latest backup goes back to version 1
      EffectiveConfig prod = GoalFixture.config(dir, dir.resolve("migrations"), db.target.url(), "prod");
      TestDatabase.files(dir.resolve("v1only"), "V1__create_notes.sql",
          "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);");
      EffectiveConfig v1 = GoalFixture.config(dir, dir.resolve("v1only"), db.target.url(), "dev");
      MigrateGoal.run(v1, GoalFixture.secrets(v1), new RecordingLog(), false);
      db.exec("INSERT INTO notes (text) VALUES ('kept')");
      Path backup = MigrateGoal.run(prod, GoalFixture.secrets(prod), new RecordingLog(), false).orElseThrow()
          .backup();
      assertThat(backup).isNotNull();
      RecordingLog restoreLog = new RecordingLog();
      RollbackGoal.run(prod, GoalFixture.secrets(prod), restoreLog, new RollbackGoal.Request(null, null, "latest"));
      assertThat(restoreLog.text()).contains("The newest backup of database " + db.name + " on 127.0.0.1:5432"
          + " (environment prod, PostgreSQL 15.");
      assertThat(restoreLog.text()).contains(" is " + backup);
      assertThat(db.query("SELECT version FROM flyway_schema_history")).containsExactly(java.util.List.of("1"));
      assertThat(db.query("SELECT text FROM notes")).containsExactly(java.util.List.of("kept"));
    }
  }
}
