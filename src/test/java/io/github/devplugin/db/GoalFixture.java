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

  /** The test database's password in {@code DEVPLUGIN_DB_PASSWORD}, no settings.xml servers. */
  static Secrets secrets(EffectiveConfig config) {
    return new Secrets(config.secrets(), id -> Optional.empty(),
        Map.of(DbGoals.PASSWORD_VARIABLE, TestDatabase.PASSWORD)::get, new Masker());
  }
}
