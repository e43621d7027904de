package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A migrator killed during {@code CREATE INDEX CONCURRENTLY}, then {@code repair}, then {@code migrate}. */
class RepairTest {
  private static final Duration HANG_GUARD = Duration.ofMinutes(3);

  @TempDir
  Path dir;

  /**
   * V2 builds an index over an expression that takes 10 ms a row while the session setting devplugin_test.slow is on
   * (20 000 rows: minutes), so the build is surely running when the migrator is killed.
   */
  private Path migrations() throws Exception {
    return TestDatabase.files(dir.resolve("m"),
        "V1__t.sql", "CREATE FUNCTION slow_key(i INT) RETURNS INT LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN\n"
            + "  IF current_setting('devplugin_test.slow', true) = 'on' THEN PERFORM pg_sleep(0.01); END IF;\n"
            + "  RETURN i;\nEND $$;\n"
            + "CREATE TABLE t (id INT PRIMARY KEY, v TEXT);\n"
            + "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g;",
        "V2__index.sql", "CREATE INDEX CONCURRENTLY t_slow_idx ON t (slow_key(id));",
        "V3__after.sql", "CREATE TABLE after_index (id INT);");
  }

  /** The database, with devplugin_test.slow on in every session (the JDBC URL's startup options). */
  private static DbTarget slow(TestDatabase db) {
    return new DbTarget(db.target.url() + "?options=-c%20devplugin_test.slow%3Don", db.target.user(),
        db.target.password(), "test", "test", "test", 10);
  }

  /** Waits until t_slow_idx is being built. */
  private static void awaitIndexBuild(TestDatabase db) {
    assertTimeoutPreemptively(HANG_GUARD, () -> {
      while (db.query("SELECT 1 FROM pg_stat_progress_create_index WHERE datname = current_database()"
          + " AND index_relid = to_regclass('t_slow_idx')").isEmpty()) {
        Thread.sleep(100);
      }
    });
  }

  private static List<List<String>> history(TestDatabase db) {
    return db.query("SELECT version, script, checksum, success FROM flyway_schema_history ORDER BY installed_rank");
  }

  @Test
  void aMigratorKilledDuringCreateIndexConcurrentlyIsRepairedAndMigratesToTheUninterruptedState() throws Exception {
    Path m = migrations();
    try (TestDatabase killed = TestDatabase.create("repair_killed");
        TestDatabase clean = TestDatabase.create("repair_clean")) {
      new Migrator(clean.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);

      DbTarget slow = slow(killed);
      Process p = MigratorProcess.start(slow, m, dir.resolve("killed.txt"), Map.of());
      awaitIndexBuild(killed);
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no clean disconnect
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      killed.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name LIKE 'devplugin migrate%'");
      assertTimeoutPreemptively(HANG_GUARD, () -> {
        while (!killed.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
            + " AND application_name LIKE 'devplugin migrate%'").isEmpty()) {
          Thread.sleep(100);
        }
      });
      assertThat(killed.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_slow_idx'::regclass"))
          .containsExactly(List.of("f"));

      // what migrate's check reports, and the fix it names
      try (Connection c = killed.connect()) {
        assertThatThrownBy(() -> Leftovers.refuse(c, TestDatabase.spec(m), "migrate"))
            .isInstanceOf(UserError.class)
            .hasMessage("migrate refused, nothing was changed: an interrupted non-transactional migration or undo"
                + " left INVALID index public.t_slow_idx on public.t (left by an interrupted CREATE or DROP INDEX"
                + " CONCURRENTLY). Fix: run mvn devplugin:repair (add -Ddevplugin.repair.dryRun=true to see what it"
                + " does first), then migrate again.");
      }
      // a migrate that runs into it fails and leaves a failed history row as well
      assertThatThrownBy(() -> new Migrator(killed.target, TestDatabase.spec(m), new RecordingLog())
          .migrate(false, null)).hasMessageContaining("t_slow_idx");
      // (Flyway itself leaves a failed history row; once migrate calls Leftovers.refuse first, it leaves none)
      List<List<String>> failed = history(killed);

      RecordingLog dry = new RecordingLog();
      List<Leftovers.Leftover> found = new Repair(killed.target, TestDatabase.spec(m), dry).run(true);
      List<String> fixes = new java.util.ArrayList<>();
      fixes.add("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"t_slow_idx\"");
      if (failed.size() == 2) {
        assertThat(failed.get(1)).containsExactly("2", "V2__index.sql", failed.get(1).get(2), "f");
        fixes.add("DELETE FROM \"public\".\"flyway_schema_history\" WHERE installed_rank = 2 AND NOT success");
      } else {
        assertThat(failed).extracting(r -> r.get(0)).containsExactly("1");
      }
      assertThat(found).extracting(Leftovers.Leftover::fix).containsExactlyElementsOf(fixes);
      assertThat(dry.text()).contains("Dry run: repair would fix " + found.size() + " leftover")
          .contains("  INVALID index public.t_slow_idx on public.t (left by an interrupted CREATE or DROP INDEX"
              + " CONCURRENTLY): DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"t_slow_idx\"")
          .contains("Nothing was changed (-Ddevplugin.repair.dryRun).");
      assertThat(history(killed)).isEqualTo(failed);
      assertThat(killed.query("SELECT to_regclass('t_slow_idx') IS NOT NULL")).containsExactly(List.of("t"));

      RecordingLog log = new RecordingLog();
      assertTimeoutPreemptively(HANG_GUARD,
          () -> new Repair(killed.target, TestDatabase.spec(m), log).run(false));
      assertThat(log.text()).contains("Repaired " + found.size() + " leftover");
      try (Connection c = killed.connect()) {
        assertThat(Leftovers.find(c, List.of("public"), "flyway_schema_history")).isEmpty();
      }
      assertThat(new Repair(killed.target, TestDatabase.spec(m), new RecordingLog()).run(false)).isEmpty();

      Migrator.Outcome out = assertTimeoutPreemptively(HANG_GUARD,
          () -> new Migrator(killed.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null));
      assertThat(out.schemaVersion()).isEqualTo("3");
      assertThat(killed.catalog()).isEqualTo(clean.catalog());
      assertThat(history(killed)).isEqualTo(history(clean));
      Map<String, String> data = new java.util.TreeMap<>(killed.rowChecksums());
      Map<String, String> cleanData = new java.util.TreeMap<>(clean.rowChecksums());
      // the history's own rows differ in installed_on, execution_time and installed_rank; compared above by column
      data.remove("flyway_schema_history");
      cleanData.remove("flyway_schema_history");
      assertThat(data).isEqualTo(cleanData).containsKeys("t", "after_index");
      assertThat(killed.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_slow_idx'::regclass"))
          .containsExactly(List.of("t"));
    }
  }

  @Test
  void anInterruptedNonTransactionalUndoIsRepairedAndRunsAgainToTheUninterruptedState() throws Exception {
    Path m = TestDatabase.files(dir.resolve("undo"),
        "V1__t.sql", java.nio.file.Files.readString(migrations().resolve("V1__t.sql")),
        "V2__index.sql", "CREATE INDEX CONCURRENTLY t_slow_idx ON t (slow_key(id));",
        "V3__drop_index.sql", "DROP INDEX CONCURRENTLY t_slow_idx;",
        "U3__drop_index.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_slow_idx ON t (slow_key(id));");
    try (TestDatabase killed = TestDatabase.create("repair_undo");
        TestDatabase clean = TestDatabase.create("repair_undo_clean")) {
      new Migrator(clean.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      new Rollback(clean.target, TestDatabase.spec(m), new RecordingLog()).run(new Rollback.Request(1, null), null);
      new Migrator(killed.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);

      DbTarget slow = slow(killed);
      java.util.concurrent.CompletableFuture<Throwable> undo = new java.util.concurrent.CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          new Rollback(slow, TestDatabase.spec(m), new RecordingLog()).run(new Rollback.Request(1, null), null);
          undo.complete(null);
        } catch (Throwable e) {
          undo.complete(e);
        }
      });
      t.start();
      awaitIndexBuild(killed);
      killed.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
          + " AND application_name LIKE 'devplugin rollback%'");
      Throwable failure = undo.get(3, TimeUnit.MINUTES);
      assertThat(failure).as("the interrupted rollback fails").isNotNull();
      assertThat(killed.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_slow_idx'::regclass"))
          .containsExactly(List.of("f"));
      assertThat(killed.query("SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
          .containsExactly(List.of("1"), List.of("2"), List.of("3"));

      assertThatThrownBy(() -> new Rollback(killed.target, TestDatabase.spec(m), new RecordingLog())
          .run(new Rollback.Request(1, null), null))
          .isInstanceOf(UserError.class)
          .hasMessageStartingWith("rollback refused, nothing was changed: an interrupted non-transactional migration"
              + " or undo left INVALID index public.t_slow_idx on public.t")
          .hasMessageEndingWith("Fix: run mvn devplugin:repair (add -Ddevplugin.repair.dryRun=true to see what it"
              + " does first), then rollback again.");
      assertThat(new Repair(killed.target, TestDatabase.spec(m), new RecordingLog()).run(false))
          .extracting(Leftovers.Leftover::fix)
          .containsExactly("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"t_slow_idx\"");
      new Rollback(killed.target, TestDatabase.spec(m), new RecordingLog()).run(new Rollback.Request(1, null), null);

      assertThat(killed.catalog()).isEqualTo(clean.catalog());
      assertThat(history(killed)).isEqualTo(history(clean));
      assertThat(killed.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_slow_idx'::regclass"))
          .containsExactly(List.of("t"));
      // and migrate applies V3 again
      assertThat(new Migrator(killed.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null)
          .appliedNow()).isEqualTo(1);
    }
  }
}
