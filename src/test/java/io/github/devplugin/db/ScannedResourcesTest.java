package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.testing.RecordingLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.scanner.Scanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ScannedResources}: Flyway's own listing of the migration resources, with the scripts the migration scan read
 * given from memory; the history it writes equals plain Flyway's, checksums included.
 */
class ScannedResourcesTest {
  @TempDir
  Path dir;

  /** Scripts whose text is easy to read differently: a byte order mark, CRLF, non-ASCII, a subdirectory. */
  private Path tricky() throws IOException {
    Path m = TestDatabase.files(dir.resolve("m"),
        "V1__create_notes.sql", "\uFEFF-- notes\r\nCREATE TABLE notes (id INT, text TEXT);\r\n",
        "V2__accents.sql", "INSERT INTO notes VALUES (1, 'été, 日本, ñ');\n-- trailing comment without newline",
        "U2__accents.sql", "DELETE FROM notes WHERE id = 1;",
        "R__notes_view.sql", "CREATE OR REPLACE VIEW notes_view AS SELECT id, text FROM notes;\n\n");
    TestDatabase.files(m.resolve("more"), "V3__in_a_subdirectory.sql", "ALTER TABLE notes ADD COLUMN tag TEXT;");
    return m;
  }

  private static final String HISTORY = "SELECT installed_rank, version, description, type, script, checksum,"
      + " success FROM flyway_schema_history ORDER BY installed_rank";

  @Test
  void migrateWritesTheHistoryPlainFlywayWritesForTheSameScriptsChecksumsIncluded() throws Exception {
    Path m = tricky();
    try (TestDatabase plain = TestDatabase.create("resplain"); TestDatabase ours = TestDatabase.create("resours")) {
      Flyway.configure().dataSource(plain.target.url(), TestDatabase.USER, TestDatabase.PASSWORD)
          .locations("filesystem:" + m.toAbsolutePath()).load().migrate();
      RecordingLog log = new RecordingLog();
      Migrator.Outcome out = new Migrator(ours.target, TestDatabase.spec(m), log).migrate(false, null);

      assertThat(out.appliedNow()).isEqualTo(4);
      List<List<String>> expected = plain.query(HISTORY);
      assertThat(expected).hasSize(4);
      assertThat(ours.query(HISTORY)).isEqualTo(expected);
      assertThat(ours.query("SELECT text FROM notes")).containsExactly(List.of("été, 日本, ñ"));
      // and the next migrate validates those checksums against the files (through Flyway: no stamp here)
      assertThat(new Migrator(ours.target, TestDatabase.spec(m), new RecordingLog()).migrate(false, null)
          .appliedNow()).isZero();
    }
  }

  @Test
  void aFlywayWhoseInternalScannerDiffersListsAndReadsTheScriptsItself() throws Exception {
    Path m = tricky();
    // a newer Flyway named as a plugin dependency, whose internal Scanner changed: listing fails with a LinkageError
    ScannedResources changed = new ScannedResources() {
      @Override
      void list(org.flywaydb.core.api.configuration.Configuration configuration) {
        throw new NoSuchMethodError("org.flywaydb.core.internal.scanner.Scanner.<init>");
      }
    };
    try (TestDatabase db = TestDatabase.create("resfallback")) {
      RecordingLog log = new RecordingLog();
      Flyway flyway = Flyways.migrations(Connections.dataSource(db.target, "test"), TestDatabase.spec(m), null,
          changed, log);
      assertThat(flyway.migrate().migrationsExecuted).isEqualTo(4);
      assertThat(db.query("SELECT text FROM notes")).containsExactly(List.of("été, 日本, ñ"));
      assertThat(log.text()).contains("Flyway lists and reads the migration scripts itself");
    }
  }

  private static FluentConfiguration configuration(Path m) {
    return Flyway.configure().locations("filesystem:" + m.toAbsolutePath()).loggers(FlywayLogBridge.LOGGER);
  }

  private static String text(LoadableResource r) throws IOException {
    try (Reader reader = new BufferedReader(r.read())) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[4096];
      for (int n; (n = reader.read(buf)) > 0; ) {
        sb.append(buf, 0, n);
      }
      return sb.toString();
    }
  }

  @Test
  void theListingIsFlywaysOwnAndAScriptTheScanReadIsGivenFromMemory() throws Exception {
    Path m = tricky();
    Files.writeString(m.resolve("V4__latin1.sql"), "INSERT INTO notes VALUES (4, 'caf\u00e9');",
        StandardCharsets.ISO_8859_1);
    Files.writeString(m.resolve("V4__latin1.sql.conf"), "encoding=ISO-8859-1\n");
    ScannedResources resources = new ScannedResources();
    FluentConfiguration c = configuration(m);
    resources.setOn(c);
    Flyway flyway = c.load();
    resources.list(flyway.getConfiguration());
    assertThat(flyway.getConfiguration().getResourceProvider()).isSameAs(resources);
    assertThat(flyway.getConfiguration().getJavaMigrationClassProvider()).isSameAs(resources);

    // the same resources, in the same order, with the same names and paths as Flyway's own scanner gives
    Scanner<JavaMigration> own = new Scanner<>(JavaMigration.class, flyway.getConfiguration(),
        flyway.getConfiguration().getLocations());
    for (String prefix : List.of("", "V", "R", "U")) {
      assertThat(describe(resources.getResources(prefix, ".sql")))
          .isEqualTo(describe(own.getResources(prefix, ".sql")));
    }
    assertThat(describe(resources.getResources("", ".sql"))).extracting(s -> s.split(" ")[0]).containsExactly(
        "R__notes_view.sql", "U2__accents.sql", "V1__create_notes.sql", "V2__accents.sql", "V4__latin1.sql",
        "more/V3__in_a_subdirectory.sql");
    assertThat(resources.getResource("more/V3__in_a_subdirectory.sql").getRelativePath())
        .isEqualTo(own.getResource("more/V3__in_a_subdirectory.sql").getRelativePath());
    assertThat(resources.getResource("V4__latin1.sql.conf")).isNotNull();
    assertThat(resources.getResource("V9__absent.sql")).isNull();
    assertThat(resources.getClasses()).isEmpty();

    // before the scan's contents arrive, and for a script the scan did not read, the file is read
    LoadableResource v1 = resources.getResource("V1__create_notes.sql");
    assertThat(text(v1)).isEqualTo(Files.readString(m.resolve("V1__create_notes.sql")));
    // the scan's text wins over the file's: Flyway checksums and runs what the scan checked
    String v1Path = m.resolve("V1__create_notes.sql").toAbsolutePath().toString();
    String v4Path = m.resolve("V4__latin1.sql").toAbsolutePath().toString();
    resources.use(Map.of(v1Path, "CREATE TABLE from_memory (id INT);", v4Path, "not the latin-1 file"));
    assertThat(text(resources.getResource("V1__create_notes.sql"))).isEqualTo("CREATE TABLE from_memory (id INT);");
    assertThat(text(resources.getResources("V", ".sql").iterator().next()))
        .isEqualTo("CREATE TABLE from_memory (id INT);");
    // a script with a .conf file (which may name another encoding) is read from its file, in that encoding
    assertThat(text(resources.getResource("V4__latin1.sql"))).isEqualTo("INSERT INTO notes VALUES (4, 'caf\u00e9');");
  }

  @Test
  void theMigrationScanKeepsTheTextOfEveryScriptItReadByAbsolutePath() throws Exception {
    Path m = tricky();
    MigrationScan scan = MigrationScan.of(TestDatabase.spec(m));
    Map<String, String> contents = scan.contents();
    assertThat(contents.keySet()).containsExactlyInAnyOrder(
        m.resolve("V1__create_notes.sql").toAbsolutePath().toString(),
        m.resolve("V2__accents.sql").toAbsolutePath().toString(),
        m.resolve("U2__accents.sql").toAbsolutePath().toString(),
        m.resolve("R__notes_view.sql").toAbsolutePath().toString(),
        m.resolve("more/V3__in_a_subdirectory.sql").toAbsolutePath().toString());
    assertThat(contents.get(m.resolve("V1__create_notes.sql").toAbsolutePath().toString()))
        .isEqualTo("\uFEFF-- notes\r\nCREATE TABLE notes (id INT, text TEXT);\r\n");
  }

  @Test
  void onlyFilesystemLocationsUseIt() {
    assertThat(ScannedResources.applies(List.of("filesystem:/a", "filesystem:/b"))).isTrue();
    assertThat(ScannedResources.applies(List.of("filesystem:/a", "classpath:db/migration"))).isFalse();
    assertThat(ScannedResources.applies(List.of())).isFalse();
  }

  private static List<String> describe(java.util.Collection<LoadableResource> resources) {
    List<String> out = new ArrayList<>();
    for (LoadableResource r : resources) {
      out.add(r.getRelativePath() + " " + r.getFilename() + " " + r.getAbsolutePath() + " "
          + r.getAbsolutePathOnDisk());
    }
    return out.stream().collect(Collectors.toList());
  }
}
