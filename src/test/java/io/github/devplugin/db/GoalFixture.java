package io.github.devplugin.db;

import io.github.devplugin.config.ConfigFixtures;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Masker;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The configuration and secrets a database goal gets from the front-end, for a project in {@code basedir}. */
final class GoalFixture {
  private GoalFixture() {}

  /** Migrations in {@code migrations}, the database at {@code url}, backups under {@code basedir/backups}. */
  static EffectiveConfig config(Path basedir, Path migrations, String url, String env,
      ConfigLoader.Override... overrides) {
    return ConfigFixtures.config().basedir(basedir)
        .section("database", d -> d.leaf("enabled", "true").leaf("url", url).leaf("user", TestDatabase.USER)
            .child("locations", l -> l.leaf("location", "filesystem:" + migrations))
            .leaf("backupDirectory", basedir.resolve("backups").toString()))
        .environment("prod", e -> {})
        .load(env, overrides);
  }

  /** Two migrations with their undo scripts, in {@code dir}. */
  static Path twoMigrations(Path dir) throws java.io.IOException {
    return TestDatabase.files(dir,
        "V1__create_notes.sql", "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL);",
        "U1__create_notes.sql", "DROP TABLE notes;",
        "V2__add_tags.sql", "CREATE TABLE tags (name TEXT PRIMARY KEY);",
        "U2__add_tags.sql", "DROP TABLE tags;");
  }

  /** The test database's password in {@code DEVPLUGIN_DB_PASSWORD}, no settings.xml servers. */
  static Secrets secrets(EffectiveConfig config) {
    return new Secrets(config.secrets(), id -> Optional.empty(),
        Map.of(DbGoals.PASSWORD_VARIABLE, TestDatabase.PASSWORD)::get, new Masker());
  }
}
