package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyMigrationsGoalTest {
  @TempDir
  Path dir;

  /** Records which binaries were asked for and refuses them, so a test sees the embedded server was chosen. */
  static final class RefusingBinaries implements VerifyMigrationsGoal.Binaries {
    final List<String> asked = new ArrayList<>();

    @Override
    public Path resolve(String groupId, String artifactId, String version) {
      asked.add(groupId + ":" + artifactId + ":" + version);
      throw new IllegalStateException("binaries asked for");
    }
  }

  private Path migrations() throws Exception {
    return GoalFixture.twoMigrations(dir.resolve("migrations"));
  }

  private static VerifyMigrationsGoal.Options embedded(String version, boolean force) {
    return new VerifyMigrationsGoal.Options(null, version, force);
  }

  @Test
  void theFingerprintFollowsScriptsAndServerOnly() throws Exception {
    Path migrations = migrations();
    EffectiveConfig cfg = GoalFixture.config(dir, migrations, RollbackGoalTest.NOWHERE, "dev");
    MigrationSpec spec = DbGoals.spec(cfg);
    String base = VerifyMigrationsGoal.fingerprint(cfg, spec, embedded("15.19.0", false));
    assertThat(VerifyMigrationsGoal.fingerprint(cfg, spec, embedded("15.19.0", true))).as("force").isEqualTo(base);
    assertThat(VerifyMigrationsGoal.fingerprint(cfg, spec, embedded("16.10.0", false))).isNotEqualTo(base);
    String onServer = VerifyMigrationsGoal.fingerprint(cfg, spec,
        new VerifyMigrationsGoal.Options(" jdbc:postgresql://h:5432/x ", "15.19.0", false));
    assertThat(onServer).isNotEqualTo(base).isEqualTo(VerifyMigrationsGoal.fingerprint(cfg, spec,
        new VerifyMigrationsGoal.Options("jdbc:postgresql://h:5432/x", "16.10.0", false)));
    Files.writeString(migrations.resolve("U2__add_tags.sql"), "DROP TABLE tags CASCADE;");
    assertThat(VerifyMigrationsGoal.fingerprint(cfg, spec, embedded("15.19.0", false))).isNotEqualTo(base);
  }

  @Test
  void unchangedScriptsAreNotCheckedAgainUnlessForced() throws Exception {
    EffectiveConfig cfg = GoalFixture.config(dir, migrations(), RollbackGoalTest.NOWHERE, "dev");
    VerifyMigrationsGoal.Options options = embedded("15.19.0", false);
    Path stampFile = VerifyMigrationsGoal.stamp(cfg).stampFile();
    assertThat(stampFile).isEqualTo(dir.resolve("target/devplugin/stamps/verify-migrations.fingerprint"));
    VerifyMigrationsGoal.stamp(cfg).record(VerifyMigrationsGoal.fingerprint(cfg, DbGoals.spec(cfg), options));

    RefusingBinaries binaries = new RefusingBinaries();
    RecordingLog log = new RecordingLog();
    assertThat(VerifyMigrationsGoal.run(cfg, GoalFixture.secrets(cfg), log, options, binaries)).isEmpty();
    assertThat(binaries.asked).isEmpty();
    assertThat(log.text()).contains("Migrations are up to date: the same scripts passed the migration check before"
        + " (target/devplugin/stamps/verify-migrations.fingerprint; -Ddevplugin.verify-migrations.force checks"
        + " again).");

    assertThatThrownBy(() -> VerifyMigrationsGoal.run(cfg, GoalFixture.secrets(cfg), new RecordingLog(),
        embedded("15.19.0", true), binaries)).hasMessage("binaries asked for");
    assertThat(binaries.asked).containsExactly(EmbeddedPostgresServer.BINARIES_GROUP + ":"
        + EmbeddedPostgresServer.binariesArtifactId() + ":15.19.0");
  }

  @Test
  void aGivenServerIsUsedInsteadOfTheEmbeddedOneAndSuccessIsRecorded() throws Exception {
    EffectiveConfig cfg = GoalFixture.config(dir, migrations(), RollbackGoalTest.NOWHERE, "dev");
    VerifyMigrationsGoal.Options options = new VerifyMigrationsGoal.Options(TestDatabase.ADMIN_URL, null, false);
    RefusingBinaries binaries = new RefusingBinaries();
    RecordingLog log = new RecordingLog();
    MigrationVerifier.Result result = VerifyMigrationsGoal.run(cfg, GoalFixture.secrets(cfg), log, options,
        binaries).orElseThrow();
    assertThat(binaries.asked).isEmpty();
    assertThat(result.versions()).containsExactly("1", "2");
    assertThat(log.text()).contains("Checked 2 migrations and their undo scripts: every rollback restores the"
        + " schema (");
    assertThat(VerifyMigrationsGoal.stamp(cfg).isUpToDate(VerifyMigrationsGoal.fingerprint(cfg, DbGoals.spec(cfg),
        options))).isTrue();
    assertThat(VerifyMigrationsGoal.run(cfg, GoalFixture.secrets(cfg), new RecordingLog(), options, binaries))
        .as("nothing changed, no work").isEmpty();
  }

  @Test
  void aFailedCheckRecordsNothing() throws Exception {
    Path migrations = migrations();
    Files.writeString(migrations.resolve("U2__add_tags.sql"), "SELECT 1;");
    EffectiveConfig cfg = GoalFixture.config(dir, migrations, RollbackGoalTest.NOWHERE, "dev");
    assertThatThrownBy(() -> VerifyMigrationsGoal.run(cfg, GoalFixture.secrets(cfg), new RecordingLog(),
        new VerifyMigrationsGoal.Options(TestDatabase.ADMIN_URL, null, false), new RefusingBinaries()))
        .hasMessageContaining("U2__add_tags.sql does not undo V2__add_tags.sql");
    assertThat(VerifyMigrationsGoal.stamp(cfg).stampFile()).doesNotExist();
  }
}
