package io.github.devplugin.config;

import java.util.List;

/**
 * The {@code <database>} element: the service's PostgreSQL database and its Flyway migrations.
 *
 * @param enabled false when the service has no database
 * @param url JDBC URL of the environment's database; null means "none given" (goals that need one say so, and the
 *     migration check uses an embedded PostgreSQL)
 * @param name database name (compose, Kubernetes configuration)
 * @param serverId {@code settings.xml} server holding user name and password
 * @param passwordSecret name of a declared secret holding the password
 * @param locations Flyway locations
 * @param backup take a {@code pg_dump} before migrating (the {@code prod} default)
 */
public record DatabaseSettings(boolean enabled, String url, String name, String user, String serverId,
    String passwordSecret, List<String> locations, boolean backup, String backupDirectory) {

  public DatabaseSettings {
    locations = List.copyOf(locations);
  }

  public static final String DEFAULT_LOCATION = "filesystem:src/main/resources/db/migration";

  static DatabaseSettings from(Section s, ProjectInfo project, String serviceName, String environment) {
    boolean hasMigrations = java.nio.file.Files.isDirectory(
        project.basedir().resolve("src/main/resources/db/migration"));
    boolean enabled = s.bool("enabled", hasMigrations);
    String url = s.string("url", null);
    if (url != null && !url.startsWith("jdbc:postgresql:")) {
      s.problem("url", "'" + url + "' is not a PostgreSQL JDBC URL.",
          "use jdbc:postgresql://HOST:5432/DATABASE (or -Ddevplugin.db.url=...).");
    } else if (url != null && url.toLowerCase(java.util.Locale.ROOT).matches(".*[?&]password=.*")) {
      s.problem("url", "the JDBC URL contains a password in plain text.",
          "remove password= from the URL and give it through <serverId>, <passwordSecret> or the environment"
              + " variable DEVPLUGIN_DB_PASSWORD.");
      url = null;
    }
    String defaultName = serviceName == null ? "app" : serviceName.replace('-', '_');
    String name = s.string("name", defaultName);
    if (name != null && !name.matches("[a-z_][a-z0-9_]{0,62}")) {
      s.problem("name", "'" + name + "' is not a portable PostgreSQL database name.",
          "use lower case letters, digits and '_', e.g. " + defaultName + ".");
    }
    String user = s.string("user", defaultName);
    String serverId = s.string("serverId", null);
    String passwordSecret = s.string("passwordSecret", null);
    List<String> locations = s.list("locations", "location", List.of(DEFAULT_LOCATION));
    boolean backup = s.bool("backup", "prod".equals(environment));
    String backupDirectory = s.string("backupDirectory",
        project.devpluginDirectory().resolve("backups").toString());
    return new DatabaseSettings(enabled, url, name, user, serverId, passwordSecret, locations, backup,
        backupDirectory);
  }
}
