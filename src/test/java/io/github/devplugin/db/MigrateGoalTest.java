package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.config.ConfigFixtures;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrateGoalTest {
  @TempDir
  Path dir;

  private Path migrations() throws Exception {
    return TestDatabase.files(dir.resolve("migrations"),
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "U1__create_notes.sql", "DROP TABLE notes;");
  }

  @Test
  void prodBacksUpByDefaultAndTheBackupParameterIsATracedOverride() throws Exception {
    try (TestDatabase db = TestDatabase.create("migrate_goal")) {
      Path migrations = migrations();
      // the override turns prod's backup off, and the message names where that was set
      ConfigLoader.Override off = new ConfigLoader.Override("database.backup", "false", "-Ddevplugin.migrate.backup");
      EffectiveConfig noBackup = GoalFixture.config(dir, migrations, db.target.url(), "prod", off);
      assertThat(noBackup.database().backup()).isFalse();
      assertThat(noBackup.where("database.backup")).isEqualTo("-Ddevplugin.migrate.backup");
      RecordingLog log = new RecordingLog();
      Optional<Migrator.Outcome> first = MigrateGoal.run(noBackup, GoalFixture.secrets(noBackup), log, false);
      assertThat(first).get().extracting(Migrator.Outcome::appliedNow).isEqualTo(1);
      assertThat(first.get().backup()).isNull();
      assertThat(log.text()).contains("DEBUG No backup before migrating: -Ddevplugin.migrate.backup is false for"
          + " environment 'prod'.");
      assertThat(log.text()).contains("| 1 ").contains("create notes");
      assertThat(Backups.list(dir.resolve("backups"))).isEmpty();

      // without it prod backs up before applying what is pending
      TestDatabase.files(migrations, "V2__add_tags.sql", "CREATE TABLE tags (name TEXT PRIMARY KEY);",
          "U2__add_tags.sql", "DROP TABLE tags;");
      EffectiveConfig prod = GoalFixture.config(dir, migrations, db.target.url(), "prod");
      assertThat(prod.database().backup()).isTrue();
      Migrator.Outcome second = MigrateGoal.run(prod, GoalFixture.secrets(prod), new RecordingLog(), false)
          .orElseThrow();
      assertThat(second.appliedNow()).isEqualTo(1);
      assertThat(Backups.list(dir.resolve("backups"))).containsExactly(second.backup());
    }
  }

  @Test
  void dryRunChangesNothingAndNamesItsFlag() throws Exception {
    try (TestDatabase db = TestDatabase.create("migrate_goal_dry")) {
      EffectiveConfig dev = GoalFixture.config(dir, migrations(), db.target.url(), "dev");
      assertThat(dev.database().backup()).as("dev takes no backup").isFalse();
      RecordingLog log = new RecordingLog();
      Migrator.Outcome dry = MigrateGoal.run(dev, GoalFixture.secrets(dev), log, true).orElseThrow();
      assertThat(dry.pending()).isEqualTo(1);
      assertThat(log.text()).contains("Dry run (-Ddevplugin.migrate.dryRun): 1 pending migration would be applied");
      assertThat(db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").get(0).get(0))
          .isEqualTo("0");
    }
  }

  @Test
  void aServiceWithoutDatabaseDoesNothing() {
    RecordingLog log = new RecordingLog();
    EffectiveConfig none = ConfigFixtures.config().basedir(dir).load("dev");
    assertThat(MigrateGoal.run(none, GoalFixture.secrets(none), log, false)).isEmpty();
    assertThat(log.text()).contains("Skipping devplugin:migrate: the service has no database");
  }
}
