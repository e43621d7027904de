package io.github.devplugin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSettingsTest {
  @TempDir
  Path dir;

  private ProjectInfo project() {
    return new ProjectInfo("g", "notes", "1.0.0", null, null, null, List.of(), null, dir, dir.resolve("target"),
        dir.resolve("target/classes"));
  }

  private static ConfigNode database(ConfigNode... children) {
    return ConfigNode.of("database", null, List.of(children), Map.of(), "<database>");
  }

  private static ConfigNode leaf(String name, String value) {
    return ConfigNode.leaf(name, value, "<database><" + name + ">");
  }

  @Test
  void defaultsAndOverridesRecordWhereTheUrlCameFrom() {
    EffectiveConfig c = ConfigLoader.load(project(), Map.of("database", database(leaf("url",
        "jdbc:postgresql://db:5432/notes"))),
        ConfigNode.of("environments", null, List.of(ConfigNode.empty("prod", "<environments><prod>")), Map.of(),
            "<environments>"),
        List.of(new ConfigLoader.Override("database.user", "ops", "-Ddevplugin.db.user")), "prod");
    DatabaseSettings db = c.database();
    assertThat(db.enabled()).as("<url> alone does not enable it; migrations or locations do").isFalse();
    assertThat(db.backup()).as("prod backs up by default").isTrue();
    assertThat(db.table()).isEqualTo("flyway_schema_history");
    assertThat(db.lockTimeoutSeconds()).isEqualTo(30);
    assertThat(db.connectTimeoutSeconds()).isEqualTo(10);
    assertThat(db.origins().url()).isEqualTo("<database><url>");
    assertThat(db.origins().user()).isEqualTo("-Ddevplugin.db.user");
    assertThat(db.origins().userSet()).isTrue();
    assertThat(db.backupDirectory()).as("outside target/, kept by mvn clean")
        .isEqualTo(Path.of(System.getProperty("user.home"), ".devplugin", "backups", "g", "notes").toString());
  }

  @Test
  void aJdbcUrlWithCredentialsInItsUserInfoIsRefusedWithoutEchoingThem() {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> ConfigLoader.load(project(), Map.of(
        "database", database(leaf("url", "jdbc:postgresql://app:s3cr3t-ui@db:5432/notes"))), null, List.of(),
        "dev"));
    assertThat(t).isInstanceOf(ConfigException.class)
        .hasMessageContaining("<database><url>")
        .hasMessageContaining("carries credentials in its user-info (//user:password@host)")
        .hasMessageContaining("Fix: remove user:password@ from the URL");
    assertThat(t.getMessage()).doesNotContain("s3cr3t-ui");
  }

  @Test
  void badValuesAreReportedNamingTheElement() {
    ConfigNode locations = ConfigNode.of("locations", null, List.of(ConfigNode.leaf("location", "db/migration",
        "<database><locations><location>")), Map.of(), "<database><locations>");
    assertThatThrownBy(() -> ConfigLoader.load(project(), Map.of("database", database(locations,
        leaf("table", "bad-table"), leaf("lockTimeout", "0"), leaf("pgBinDirectory", "/no/such/dir"))), null,
        List.of(), "dev"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("location 'db/migration' has no filesystem: or classpath: prefix")
        .hasMessageContaining("'bad-table' is not a plain PostgreSQL table name")
        .hasMessageContaining("<database><lockTimeout>: '0' is out of range")
        .hasMessageContaining("'/no/such/dir' is not a directory");
  }
}
