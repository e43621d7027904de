package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups and restores on the test environment's PostgreSQL, with its own pg_dump, pg_restore and psql. */
class BackupsTest {
  @TempDir
  Path dir;

  /** V1 installs an extension, uses it, and grants a second role access; V2 undoes all of that. */
  private Path migrations() throws Exception {
    return TestDatabase.files(dir.resolve("migrations"),
        "V1__notes.sql", "CREATE EXTENSION citext;\n"
            + "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text citext NOT NULL);\n"
            + "GRANT USAGE ON SCHEMA public TO pg_monitor;\n"
            + "GRANT SELECT ON notes TO pg_monitor;\n"
            + "CREATE FUNCTION shout(t citext) RETURNS text LANGUAGE sql AS 'SELECT upper(t::text)';\n",
        "V2__rework.sql", "ALTER TABLE notes ALTER COLUMN text TYPE text;\n"
            + "DROP FUNCTION shout(citext);\n"
            + "DROP EXTENSION citext;\n"
            + "REVOKE USAGE ON SCHEMA public FROM PUBLIC;\n"
            + "REVOKE ALL ON SCHEMA public FROM pg_monitor;\n"
            + "REVOKE SELECT ON notes FROM pg_monitor;\n"
            + "CREATE TABLE tags (name TEXT PRIMARY KEY);\n");
  }

  /** What a restore must give back: the schema dump, the schemas' owners and privileges, the extensions. */
  private static String schemaState(TestDatabase db) {
    PgTools.Run dump = PgTools.run(List.of("pg_dump", "--schema-only", "--no-password"),
        PgTools.environment(db.target, "test"), null);
    assertThat(dump.exitCode()).as(dump.stderr()).isZero();
    PgTools.Run dn = PgTools.run(List.of("psql", "--no-psqlrc", "--no-password", "-c", "\\dn+"),
        PgTools.environment(db.target, "test"), null);
    assertThat(dn.exitCode()).as(dn.stderr()).isZero();
    String schema = dump.stdout().lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
        .collect(Collectors.joining("\n"));
    return schema + "\n" + dn.stdout() + "\n"
        + db.query("SELECT nspname, pg_get_userbyid(nspowner), nspacl::text FROM pg_namespace"
            + " WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1") + "\n"
        + db.query("SELECT extname, extversion, extnamespace::regnamespace::text FROM pg_extension ORDER BY 1");
  }

  @Test
  void aRestoreGivesBackOwnersGrantsExtensionsAndThePublicSchemaExactly() throws Exception {
    try (TestDatabase db = TestDatabase.create("backup_round_trip")) {
      Path v1 = TestDatabase.files(dir.resolve("v1"), "V1__notes.sql",
          Files.readString(migrations().resolve("V1__notes.sql")));
      EffectiveConfig dev = GoalFixture.config(dir, v1, db.target.url(), "dev");
      MigrateGoal.run(dev, GoalFixture.secrets(dev), new RecordingLog(), false);
      db.exec("INSERT INTO notes (text) VALUES ('Kept')");
      String before = schemaState(db);
      assertThat(before).contains("CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;")
          .contains("GRANT SELECT ON TABLE public.notes TO pg_monitor;").contains("=U/pg_database_owner")
          .contains("pg_monitor=U/pg_database_owner");

      EffectiveConfig prod = GoalFixture.config(dir, dir.resolve("migrations"), db.target.url(), "prod");
      RecordingLog migrateLog = new RecordingLog();
      Path backup = MigrateGoal.run(prod, GoalFixture.secrets(prod), migrateLog, false).orElseThrow().backup();
      assertThat(migrateLog.text()).contains("Backup of schema public (with extension citext) written to " + backup);
      assertThat(schemaState(db)).isNotEqualTo(before).doesNotContain("citext");

      RollbackGoal.run(prod, GoalFixture.secrets(prod), new RecordingLog(),
          new RollbackGoal.Request(null, null, "latest"));
      assertThat(schemaState(db)).isEqualTo(before);
      assertThat(db.query("SELECT text, shout(text) FROM notes WHERE text = 'kept'"))
          .containsExactly(List.of("Kept", "KEPT"));
    }
  }

  @Test
  void backupsArePrivateAndRecordTheDatabaseTheyAreOf() throws Exception {
    try (TestDatabase db = TestDatabase.create("backup_identity")) {
      EffectiveConfig prod = GoalFixture.config(dir, migrations(), db.target.url(), "prod");
      Path backup = MigrateGoal.run(prod, GoalFixture.secrets(prod), new RecordingLog(), false).orElseThrow()
          .backup();
      assertThat(backup.getParent()).isEqualTo(dir.resolve("backups"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup.getParent())))
          .isEqualTo("rwx------");
      for (Path f : List.of(backup, Backups.checksumFile(backup), Backups.identityFile(backup))) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
            .isEqualTo("rw-------");
      }
      assertThat(Files.readString(Backups.identityFile(backup)))
          .contains("database=" + db.name + "\n").contains("environment=prod\n").contains("host=127.0.0.1\n")
          .contains("port=5432\n").containsPattern("serverVersion=15\\.\\d+\n")
          .contains("acl.public={pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}\n");
      try (var files = Files.list(dir.resolve("backups"))) {
        assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial"))).isEmpty();
      }
      String identity = "database " + db.name + " on 127.0.0.1:5432 (environment prod, PostgreSQL 15.";

      // the same database seen as another environment: latest finds nothing, the named file is refused
      EffectiveConfig staging = GoalFixture.config(dir, migrations(), db.target.url(), "dev");
      assertThatThrownBy(() -> RollbackGoal.run(staging, GoalFixture.secrets(staging), new RecordingLog(),
          new RollbackGoal.Request(null, null, "latest")))
          .isInstanceOf(UserError.class)
          .hasMessageStartingWith("-Ddevplugin.rollback.backup=latest: there is no backup of database " + db.name
              + " on 127.0.0.1:5432 (environment dev, PostgreSQL 15.")
          .hasMessageContaining("in " + dir.resolve("backups") + " (the 1 backup there is of another database or"
              + " has no .identity file)");
      assertThatThrownBy(() -> RollbackGoal.run(staging, GoalFixture.secrets(staging), new RecordingLog(),
          new RollbackGoal.Request(null, null, backup.toString())))
          .isInstanceOf(UserError.class)
          .hasMessageStartingWith("The backup " + backup + " is of " + identity)
          .hasMessageContaining(", not of database " + db.name + " on 127.0.0.1:5432 (environment dev,")
          .hasMessageEndingWith(": nothing was restored. Fix: restore it into the database it was taken from"
              + " (-Ddevplugin.env=prod, -Ddevplugin.db.url), or choose a backup of this database"
              + " (-Ddevplugin.rollback.backup=latest).");
      assertThat(db.query("SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
          .containsExactly(List.of("1"), List.of("2"));

      // another database's newer backup is never chosen by latest
      try (TestDatabase other = TestDatabase.create("backup_other")) {
        EffectiveConfig otherProd = GoalFixture.config(dir, migrations(), other.target.url(), "prod");
        TestDatabase.files(dir.resolve("nothing"));
        Path v1 = TestDatabase.files(dir.resolve("v1"), "V1__notes.sql",
            Files.readString(migrations().resolve("V1__notes.sql")));
        EffectiveConfig otherV1 = GoalFixture.config(dir, v1, other.target.url(), "prod");
        MigrateGoal.run(otherV1, GoalFixture.secrets(otherV1), new RecordingLog(), false);
        Path newer = MigrateGoal.run(otherProd, GoalFixture.secrets(otherProd), new RecordingLog(), false)
            .orElseThrow().backup();
        assertThat(Backups.list(dir.resolve("backups")).get(0)).isEqualTo(newer);
        RecordingLog log = new RecordingLog();
        RollbackGoal.run(prod, GoalFixture.secrets(prod), log, new RollbackGoal.Request(null, null, "latest"));
        assertThat(log.text()).contains("The newest backup of " + identity)
            .contains(" is " + backup + " (2 newer backups are of another database or without an .identity file)");
      }
    }
  }
}
