package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.testing.RecordingLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.scanner.Scanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing under the locations is silently left out (issue 12 items 3 and 6): misnamed, empty and orphan files fail
 * every migrate (dry run included), an applied migration edited afterwards fails even with nothing pending, and Java
 * migrations and callbacks compiled from source run in order with the SQL ones, in {@code migrate},
 * {@code verify-migrations} and the image's migrator.
 */
class MigrationScanTest {
  @TempDir
  Path dir;

  @Test
  void misnamedEmptyAndOrphanFilesFailEveryMigrateNamingTheFileAndThePattern() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "CREATE TABLE notes (id INT);",
        "V7_bad.sql", "CREATE TABLE bad1 (id INT);",
        "V7.x__a.sql", "CREATE TABLE bad2 (id INT);",
        "v7__a.sql", "CREATE TABLE bad3 (id INT);",
        "V8__empty.sql", "-- nothing yet\n/* later */\n",
        "U9__orphan.sql", "DROP TABLE nine;");
    try (TestDatabase db = TestDatabase.create("scan")) {
      for (boolean dryRun : new boolean[] {true, false}) {
        assertThatThrownBy(() -> new Migrator(db.target, TestDatabase.spec(m), new RecordingLog())
            .migrate(dryRun, null))
            .isInstanceOf(ProblemsException.class)
            .hasMessageContaining("(5 problems)")
            .hasMessageContaining(m.resolve("V7_bad.sql") + ": there is no '__' (two underscores)")
            .hasMessageContaining(m.resolve("V7.x__a.sql") + ": '7.x' is not a version")
            .hasMessageContaining(m.resolve("v7__a.sql") + ": the prefix 'v' is lower case")
            .hasMessageContaining("Fix: rename it V<version>__<description>.sql (versioned)")
            .hasMessageContaining(m.resolve("V8__empty.sql") + ": is empty")
            .hasMessageContaining(m.resolve("U9__orphan.sql") + ": is an undo script without a migration: no V9__*.sql")
            .hasMessageContaining("Nothing was changed.");
      }
      assertThat(db.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").get(0).get(0))
          .isEqualTo("0");
    }
  }

  @Test
  void anAppliedMigrationEditedAfterwardsFailsEvenWhenNothingIsPending() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    try (TestDatabase db = TestDatabase.create("checksum")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      Files.writeString(m.resolve("V1__create_notes.sql"), "CREATE TABLE notes (id BIGINT);");
      for (boolean dryRun : new boolean[] {true, false}) {
        assertThatThrownBy(() -> new Migrator(db.target, TestDatabase.spec(m), new RecordingLog())
            .migrate(dryRun, null))
            .isInstanceOf(ProblemsException.class)
            .hasMessageContaining("The applied migrations do not match the migration files")
            .hasMessageContaining("V1__create_notes.sql")
            .hasMessageContaining("checksum")
            .hasMessageContaining("restore V1__create_notes.sql to the content that was applied")
            .hasMessageContaining("repair");
      }
    }
  }

  @Test
  void theHistoryReadDecidesOnlyWhenEveryAppliedMigrationMatchesAndFlywayJudgesTheRest() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);",
        "V2__add_text.sql", "ALTER TABLE notes ADD COLUMN text TEXT;");
    try (TestDatabase db = TestDatabase.create("history")) {
      new Migrator(db.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null);
      assertThat(Migrator.matchesHistory(Flyways.migrations(db.target, TestDatabase.spec(m), "test",
          new RecordingLog()).info())).isTrue();
      // same content, another description: the checksum alone would let it through
      Files.move(m.resolve("V2__add_text.sql"), m.resolve("V2__add_body.sql"));
      assertThat(Migrator.matchesHistory(Flyways.migrations(db.target, TestDatabase.spec(m), "test",
          new RecordingLog()).info())).isFalse();
      // ... and Flyway's validation, which then runs, rejects it
      assertThatThrownBy(() -> new Migrator(db.target, TestDatabase.spec(m), new RecordingLog())
          .migrate(false, null))
          .isInstanceOf(ProblemsException.class)
          .hasMessageContaining("The applied migrations do not match the migration files")
          .hasMessageContaining("V2__add_body.sql: Migration description mismatch for migration version 2");
      // an applied migration whose file is gone (below the newest: Flyway takes a missing newest one for "future")
      Files.move(m.resolve("V2__add_body.sql"), m.resolve("V2__add_text.sql"));
      Files.delete(m.resolve("V1__create_notes.sql"));
      assertThatThrownBy(() -> new Migrator(db.target, TestDatabase.spec(m), new RecordingLog())
          .migrate(false, null))
          .isInstanceOf(ProblemsException.class)
          .hasMessageContaining("The applied migrations do not match the migration files")
          .hasMessageContaining("restore the applied migration's file");
    }
  }

  /** Compiles Java sources (path -> source) into a class directory, as the project's build would. */
  static Path compile(Path classes, Map<String, String> sources) throws Exception {
    Path src = classes.resolveSibling(classes.getFileName() + "-src");
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
        System.getProperty("java.class.path"), "--release", "17"));
    for (var e : sources.entrySet()) {
      Path f = src.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
      args.add(f.toString());
    }
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = javac.run(null, null, err, args.toArray(String[]::new));
    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return classes;
  }

  static Map<String, String> javaMigrations() {
    return Map.of(
        "db/migration/V2__add_default_notes.java", """
            package db.migration;
            import org.flywaydb.core.api.migration.BaseJavaMigration;
            import org.flywaydb.core.api.migration.Context;
            public class V2__add_default_notes extends BaseJavaMigration {
              public void migrate(Context context) throws Exception {
                try (var st = context.getConnection().createStatement()) {
                  st.execute("INSERT INTO notes (text) VALUES ('" + Helper.greeting() + "')");
                }
              }
            }
            """,
        "db/migration/Helper.java", """
            package db.migration;
            class Helper {
              static String greeting() { return "from java"; }
            }
            """,
        "db/migration/R__java_counts.java", """
            package db.migration;
            import org.flywaydb.core.api.migration.BaseJavaMigration;
            import org.flywaydb.core.api.migration.Context;
            public class R__java_counts extends BaseJavaMigration {
              public void migrate(Context context) throws Exception {
                try (var st = context.getConnection().createStatement()) {
                  st.execute("CREATE OR REPLACE VIEW note_count AS SELECT count(*) AS n FROM notes");
                }
              }
            }
            """,
        "db/migration/AfterMigrateAudit.java", """
            package db.migration;
            import org.flywaydb.core.api.callback.Callback;
            import org.flywaydb.core.api.callback.Context;
            import org.flywaydb.core.api.callback.Event;
            public class AfterMigrateAudit implements Callback {
              public boolean supports(Event event, Context context) { return event == Event.AFTER_MIGRATE; }
              public boolean canHandleInTransaction(Event event, Context context) { return true; }
              public void handle(Event event, Context context) {
                try (var st = context.getConnection().createStatement()) {
                  st.execute("CREATE TABLE IF NOT EXISTS audit_callback (at TIMESTAMPTZ DEFAULT now())");
                  st.execute("INSERT INTO audit_callback DEFAULT VALUES");
                } catch (java.sql.SQLException e) {
                  throw new IllegalStateException(e);
                }
              }
              public String getCallbackName() { return "AfterMigrateAudit"; }
            }
            """);
  }

  static final String[] SQL = {
      "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
      "V3__add_tags.sql", "ALTER TABLE notes ADD COLUMN tag TEXT;",
      "R__notes_view.sql", "CREATE OR REPLACE VIEW notes_view AS SELECT id, text FROM notes;"};

  /**
   * The scan lists the files Flyway's filesystem scanner lists: a hidden directory is skipped with everything below it,
   * a hidden file is listed (and, as Flyway ignores it, named in a warning), a link to a directory is followed.
   */
  @Test
  void theScanListsWhatFlywaysScannerListsHiddenDirectoriesSkippedLinkedOnesFollowed() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);",
        ".keep", "");
    TestDatabase.files(m.resolve(".old"), "V9__retired.sql", "CREATE TABLE retired (id INT);",
        "U7__orphan.sql", "DROP TABLE seven;");
    TestDatabase.files(m.resolve("more"), "V2__create_tags.sql", "CREATE TABLE tags (id INT);");
    TestDatabase.files(m.resolve("more/.cache"), "R__cached.sql", "SELECT 1;");
    Files.createSymbolicLink(m.resolve("linked"), TestDatabase.files(dir.resolve("shared"),
        "V3__linked.sql", "CREATE TABLE linked (id INT);"));

    MigrationScan scan = MigrationScan.of(TestDatabase.spec(m));

    FluentConfiguration c = Flyway.configure().locations("filesystem:" + m);
    Scanner<JavaMigration> flyway = new Scanner<>(JavaMigration.class, c, c.getLocations());
    List<String> scripts = flyway.getResources("", ".sql").stream().map(LoadableResource::getAbsolutePathOnDisk)
        .sorted().toList();
    assertThat(scripts).containsExactly(m.resolve("V1__create_notes.sql").toString(),
        m.resolve("linked/V3__linked.sql").toString(), m.resolve("more/V2__create_tags.sql").toString());
    assertThat(flyway.getResources("", "")).extracting(LoadableResource::getFilename).contains(".keep");
    assertThat(scan.contents().keySet()).containsExactlyInAnyOrderElementsOf(scripts);
    assertThat(scan.problems()).as("no orphan undo script from the hidden directory").isEmpty();
    assertThat(scan.sqlMigrations()).hasValue(3);
    assertThat(scan.warnings()).containsExactly(m.resolve(".keep") + " is not a .sql file: Flyway ignores it.");
  }

  @Test
  void aScriptIsBlankWhenOnlyCommentsAndSemicolonsRemainAsTheCommentsAreRemoved() {
    // the first character decides the common case; anything starting with a comment is judged with comments removed
    Map<String, Boolean> cases = new java.util.LinkedHashMap<>();
    cases.put("CREATE TABLE t (id INT);", false);
    cases.put("  \n\tINSERT INTO t VALUES (1);", false);
    cases.put("\uFEFFCREATE TABLE t (id INT);", false);
    cases.put("", true);
    cases.put(" \n ; ;\n", true);
    cases.put("-- nothing yet\n/* later */\n", true);
    cases.put("-- header\nCREATE TABLE t (id INT);", false);
    cases.put("/* header */ CREATE TABLE t (id INT);", false);
    cases.put("/* a\n -- b\n*/ ; -- c", true);
    cases.put("-- a /* b\nCREATE TABLE t (id INT); */", true);
    cases.put("/* never closed\nCREATE TABLE t (id INT);", false);
    cases.put("- 1", false);
    cases.put("/ 2", false);
    cases.forEach((sql, blank) -> {
      assertThat(MigrationScan.blank(sql)).as(sql).isEqualTo(blank);
      assertThat(MigrationScan.blank(sql)).as("as the comments-removed rule says: " + sql)
          .isEqualTo(sql.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)--.*$", "").replace(";", "").strip()
              .isEmpty());
    });
  }

  @Test
  void javaVersionedAndRepeatableMigrationsAndCallbacksRunInOrderWithTheSqlOnes() throws Exception {
    Path classes = compile(dir.resolve("classes"), javaMigrations());
    Path m = TestDatabase.files(dir.resolve("m"), SQL);
    MigrationSpec spec = new MigrationSpec(List.of("filesystem:" + m), List.of(), "flyway_schema_history", 30,
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader()));
    try (TestDatabase db = TestDatabase.create("java")) {
      RecordingLog log = new RecordingLog();
      Migrator.Outcome out = new Migrator(db.target, spec, log).migrate(false, null);
      assertThat(out.appliedNow()).isEqualTo(5);
      assertThat(out.appliedKinds())
          .isEqualTo("1 Java repeatable, 1 Java versioned, 1 SQL repeatable, 2 SQL versioned");
      assertThat(log.text()).contains("Applied 5 migrations in", "(1 Java repeatable, 1 Java versioned, 1 SQL"
          + " repeatable, 2 SQL versioned); schema \"public\" is now at version 3");
      assertThat(db.query("SELECT coalesce(version, 'R'), type, description FROM flyway_schema_history"
          + " WHERE type <> 'SCHEMA' ORDER BY installed_rank")).containsExactly(
              List.of("1", "SQL", "create notes"), List.of("2", "JDBC", "add default notes"),
              List.of("3", "SQL", "add tags"), List.of("R", "JDBC", "java counts"), List.of("R", "SQL", "notes view"));
      assertThat(db.query("SELECT text FROM notes")).containsExactly(List.of("from java"));
      assertThat(db.query("SELECT n FROM note_count")).containsExactly(List.of("1"));
      assertThat(db.query("SELECT count(*) FROM audit_callback")).containsExactly(List.of("1"));
      // a second run: nothing pending, the checksums of the Java migrations validate too
      assertThat(new Migrator(db.target, spec, new RecordingLog()).migrate(false, null).appliedNow()).isZero();
    }
  }

  @Test
  void aClassNamedLikeAMigrationThatFlywayCannotRunFailsNamingIt() throws Exception {
    Path classes = compile(dir.resolve("classes"), Map.of(
        "db/migration/V4__not_a_migration.java", "package db.migration; public class V4__not_a_migration {}",
        "db/migration/V5__no_default_constructor.java", """
            package db.migration;
            public class V5__no_default_constructor extends org.flywaydb.core.api.migration.BaseJavaMigration {
              public V5__no_default_constructor(String x) {}
              public void migrate(org.flywaydb.core.api.migration.Context c) {}
            }
            """));
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    MigrationSpec spec = new MigrationSpec(List.of("filesystem:" + m), List.of(), "flyway_schema_history", 30,
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader()));
    MigrationScan scan = MigrationScan.of(spec);
    assertThatThrownBy(() -> scan.check("applied"))
        .isInstanceOf(ProblemsException.class)
        .hasMessageContaining("db.migration.V4__not_a_migration: is named like a migration but does not implement"
            + " org.flywaydb.core.api.migration.JavaMigration")
        .hasMessageContaining("db.migration.V5__no_default_constructor: cannot be created")
        .hasMessageContaining("public constructor without parameters");
  }

  @Test
  void verifyMigrationsRunsJavaMigrationsForwardOnly() throws Exception {
    Path classes = compile(dir.resolve("classes"), javaMigrations());
    Path m = TestDatabase.files(dir.resolve("m"), SQL);
    MigrationSpec spec = new MigrationSpec(List.of("filesystem:" + m), List.of(), "flyway_schema_history", 30,
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader()));
    try (TestDatabase db = TestDatabase.create("verifyjava")) {
      RecordingLog log = new RecordingLog();
      MigrationVerifier.Result r = new MigrationVerifier(log).verify(db.target, spec);
      assertThat(r.versions()).containsExactly("1", "2", "3");
      assertThat(r.forwardOnly()).isTrue();
      assertThat(log.text()).contains("V1__create_notes.sql applies", "V3__add_tags.sql applies");
      assertThat(db.query("SELECT count(*) FROM flyway_schema_history WHERE type = 'JDBC'"))
          .containsExactly(List.of("2"));
    }
  }

  @Test
  void theImagesMigratorRunsJavaMigrationsFromTheAppClassPath() throws Exception {
    // the image's layout: SQL in the resources, classes in /app/classes, both found through the default
    // FLYWAY_LOCATIONS classpath:db/migration (here on DEVPLUGIN_APP_CLASSPATH)
    Path classes = compile(dir.resolve("classes"), javaMigrations());
    Path resources = TestDatabase.files(dir.resolve("resources/db/migration"), SQL).getParent().getParent();
    try (TestDatabase db = TestDatabase.create("mainjava")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int rc = MigratorMain.run(Map.of("DATABASE_URL", db.target.url(), "DATABASE_USER", TestDatabase.USER,
          "DATABASE_PASSWORD", TestDatabase.PASSWORD,
          MigratorMain.APP_CLASSPATH, classes + ":" + resources + ":" + dir.resolve("no-such-libs") + "/*"),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("(1 Java repeatable, 1 Java versioned, 1 SQL"
          + " repeatable, 2 SQL versioned)");
      assertThat(db.query("SELECT text FROM notes")).containsExactly(List.of("from java"));
    }
  }

  @Test
  void theImagesMigratorProcessRunsJavaMigrationsWithTheImagesClassPathContract() throws Exception {
    // as ImageLayout.migrateCommand() runs it: -cp <migrator jars>:<app resources>, the app's classes found through
    // DEVPLUGIN_APP_CLASSPATH (default /app/classes:/app/libs/*), FLYWAY_LOCATIONS left at classpath:db/migration
    Path classes = compile(dir.resolve("app/classes"), javaMigrations());
    Path resources = TestDatabase.files(dir.resolve("app/resources/db/migration"), SQL).getParent().getParent();
    try (TestDatabase db = TestDatabase.create("mainproc")) {
      Path out = dir.resolve("migrator.log");
      ProcessBuilder pb = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-cp",
          MigratorProcess.classPath() + java.io.File.pathSeparator + resources, ImageLayoutContract.MAIN));
      pb.environment().put("DATABASE_URL", db.target.url());
      pb.environment().put("DATABASE_USER", db.target.user());
      pb.environment().put("DATABASE_PASSWORD", db.target.password());
      pb.environment().put(MigratorMain.APP_CLASSPATH, classes + java.io.File.pathSeparator
          + dir.resolve("app/libs") + "/*");
      pb.redirectErrorStream(true);
      pb.redirectOutput(out.toFile());
      Process p = pb.start();
      assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(out);
      assertThat(p.exitValue()).as(log).isZero();
      assertThat(log).contains("Applied 5 migrations in", "(1 Java repeatable, 1 Java versioned, 1 SQL repeatable,"
          + " 2 SQL versioned)");
      assertThat(db.query("SELECT coalesce(version, 'R') || ':' || type FROM flyway_schema_history"
          + " ORDER BY installed_rank")).containsExactly(List.of("1:SQL"), List.of("2:JDBC"), List.of("3:SQL"),
              List.of("R:JDBC"), List.of("R:SQL"));
      assertThat(db.query("SELECT count(*) FROM audit_callback")).containsExactly(List.of("1"));
    }
  }

  /** The image's migrator main class, as {@code image.ImageLayout} names it. */
  private static final class ImageLayoutContract {
    static final String MAIN = io.github.devplugin.image.ImageLayout.MIGRATOR_MAIN;
  }

  @Test
  void theFilesFingerprintIsTheSameEachTimeItIsAskedForAndChangesWithAFile() throws Exception {
    Path m = TestDatabase.files(dir.resolve("m"), "V1__create_notes.sql", "CREATE TABLE notes (id INT);");
    MigrationSpec spec = TestDatabase.spec(m);
    MigrationScan scan = MigrationScan.of(spec);
    String first = scan.sqlOnlyFingerprint().orElseThrow();
    assertThat(scan.sqlMigrations()).hasValue(1);
    assertThat(scan.sqlOnlyFingerprint()).hasValue(first);
    assertThat(MigrationScan.of(spec).sqlOnlyFingerprint()).hasValue(first);
    TestDatabase.files(m, "V2__create_tags.sql", "CREATE TABLE tags (id INT);");
    MigrationScan added = MigrationScan.of(spec);
    assertThat(added.sqlMigrations()).hasValue(2);
    assertThat(added.sqlOnlyFingerprint()).isPresent().isNotEqualTo(java.util.Optional.of(first));
  }
}
