package io.github.devplugin.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code <database>} element: the service's PostgreSQL database and its Flyway migrations.
 *
 * @param enabled false when the service has no database
 * @param url JDBC URL of the environment's database; null means "none given" (goals that need one say so, and the
 *     migration check uses an embedded PostgreSQL)
 * @param name database name (compose, Kubernetes configuration)
 * @param user the database user
 * @param serverId {@code settings.xml} server holding the password (and the user name when {@code <user>} is not set)
 * @param passwordSecret name of a declared secret holding the password
 * @param locations Flyway locations; {@code filesystem:} paths are relative to the project directory
 * @param backup take a {@code pg_dump} before migrating (the {@code prod} default)
 * @param backupDirectory where backups go ({@code ~/.devplugin/backups/<groupId>/<artifactId>}: outside
 *     {@code target/}, so that {@code mvn clean} keeps them)
 * @param schemas the schemas Flyway manages (empty: the connection's current schema, normally {@code public})
 * @param table Flyway's schema history table
 * @param lockTimeoutSeconds how long a migration statement waits for a lock another session holds (PostgreSQL's
 *     {@code lock_timeout}), and how long to wait for another migrator's lock, before failing
 * @param connectTimeoutSeconds how long connecting (and logging in) may take before failing
 * @param pgBinDirectory directory holding {@code pg_dump}, {@code pg_restore} and {@code psql}; null: the
 *     {@code PATH}
 * @param origins which element or {@code -D} property set the connection settings, for error messages
 */
public record DatabaseSettings(boolean enabled, String url, String name, String user, String serverId,
    String passwordSecret, List<String> locations, boolean backup, String backupDirectory, List<String> schemas,
    String table, int lockTimeoutSeconds, int connectTimeoutSeconds, String pgBinDirectory, Origins origins) {

  /** Where the connection settings came from: POM elements or {@code -D} properties, as users write them. */
  public record Origins(String url, String user, String serverId, boolean userSet) {
    static final Origins DEFAULT = new Origins("<database><url>", "<database><user>", "<database><serverId>",
        false);
  }

  public DatabaseSettings {
    locations = List.copyOf(locations);
    schemas = List.copyOf(schemas);
    origins = origins == null ? Origins.DEFAULT : origins;
  }

  /** The original nine settings; the rest take their defaults. */
  public DatabaseSettings(boolean enabled, String url, String name, String user, String serverId,
      String passwordSecret, List<String> locations, boolean backup, String backupDirectory) {
    this(enabled, url, name, user, serverId, passwordSecret, locations, backup, backupDirectory, List.of(),
        DEFAULT_TABLE, DEFAULT_LOCK_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, null, Origins.DEFAULT);
  }

  public static final String DEFAULT_LOCATION = "filesystem:src/main/resources/db/migration";
  public static final String DEFAULT_TABLE = "flyway_schema_history";
  public static final int DEFAULT_LOCK_TIMEOUT = 30;
  public static final int DEFAULT_CONNECT_TIMEOUT = 10;

  private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_$]{0,62}";

  static DatabaseSettings from(Section s, ProjectInfo project, String serviceName, String environment) {
    // a service has a database when it has migrations in the default place or names where they are
    Path migrations = ConfigLoader.looksAt(project.basedir().resolve("src/main/resources/db/migration"));
    boolean hasMigrations = java.nio.file.Files.isDirectory(migrations) || s.isSet("locations");
    boolean enabled = s.bool("enabled", hasMigrations);
    Section.Value urlValue = s.raw("url");
    String url = s.string("url", null);
    if (url != null && !url.startsWith("jdbc:postgresql:")) {
      s.problem("url", "'" + url + "' is not a PostgreSQL JDBC URL.",
          "use jdbc:postgresql://HOST:5432/DATABASE (or -D" + OverrideProperties.property("database.url").orElseThrow()
              + "=...).");
    } else if (url != null && url.toLowerCase(Locale.ROOT).matches(".*[?&]password=.*")) {
      s.problem("url", "the JDBC URL contains a password in plain text.",
          "remove password= from the URL and give it through <serverId>, <passwordSecret> or the environment"
              + " variable DEVPLUGIN_DB_PASSWORD.");
      url = null;
    } else if (url != null && url.matches("jdbc:postgresql://[^/?]*@.*")) {
      s.problem("url", "the JDBC URL carries credentials in its user-info (//user:password@host), which PostgreSQL's"
          + " driver does not read (it would take them for the host name).",
          "remove user:password@ from the URL; set the user with <user> and give the password through <serverId>,"
              + " <passwordSecret> or the environment variable DEVPLUGIN_DB_PASSWORD.");
      url = null;
    }
    String defaultName = serviceName == null ? "app" : serviceName.replace('-', '_');
    String name = s.string("name", defaultName);
    if (name != null && !name.matches("[a-z_][a-z0-9_]{0,62}")) {
      s.problem("name", "'" + name + "' is not a portable PostgreSQL database name.",
          "use lower case letters, digits and '_', e.g. " + defaultName + ".");
    }
    Section.Value userValue = s.raw("user");
    String user = s.string("user", defaultName);
    Section.Value serverValue = s.raw("serverId");
    String serverId = s.string("serverId", null);
    String passwordSecret = s.string("passwordSecret", null);
    List<String> locations = s.list("locations", "location", List.of(DEFAULT_LOCATION));
    if (locations.isEmpty()) {
      s.problem("locations", "lists no location.", "remove <locations> for the default " + DEFAULT_LOCATION
          + ", or add <location>filesystem:src/main/resources/db/migration</location>.");
    }
    for (String l : locations) {
      if (!l.startsWith("filesystem:") && !l.startsWith("classpath:")) {
        s.problem("locations", "location '" + l + "' has no filesystem: or classpath: prefix.",
            "write filesystem:" + l + " (a directory, relative to the project) or classpath:" + l + ".");
      }
    }
    boolean backup = s.bool("backup", Environments.isProduction(environment));
    String backupDirectory = s.string("backupDirectory", defaultBackupDirectory(project).toString());
    if (backupDirectory != null && !Path.of(backupDirectory).isAbsolute()) {
      backupDirectory = project.basedir().resolve(backupDirectory).toString();
    }
    List<String> schemas = s.list("schemas", "schema", List.of());
    for (String schema : schemas) {
      if (!schema.matches(IDENTIFIER)) {
        s.problem("schemas", "'" + schema + "' is not a plain PostgreSQL schema name.",
            "use letters, digits and '_' (at most 63 characters), e.g. <schema>public</schema>.");
      }
    }
    String table = s.string("table", DEFAULT_TABLE);
    if (table != null && !table.matches(IDENTIFIER)) {
      s.problem("table", "'" + table + "' is not a plain PostgreSQL table name.",
          "use letters, digits and '_', e.g. " + DEFAULT_TABLE + ".");
    }
    int lockTimeout = s.integer("lockTimeout", DEFAULT_LOCK_TIMEOUT, 1, 86_400);
    int connectTimeout = s.integer("connectTimeout", DEFAULT_CONNECT_TIMEOUT, 1, 600);
    String pgBin = s.string("pgBinDirectory", null);
    if (pgBin != null && !java.nio.file.Files.isDirectory(ConfigLoader.looksAt(Path.of(pgBin)))) {
      s.problem("pgBinDirectory", "'" + pgBin + "' is not a directory.",
          "point it at the directory holding pg_dump, e.g. /usr/lib/postgresql/16/bin, or remove it to use the"
              + " PATH.");
    }
    Origins origins = new Origins(origin(urlValue, "<database><url>"), origin(userValue, "<database><user>"),
        origin(serverValue, "<database><serverId>"), userValue != null);
    return new DatabaseSettings(enabled, url, name, user, serverId, passwordSecret, locations, backup,
        backupDirectory, schemas, table, lockTimeout, connectTimeout, pgBin, origins);
  }

  /** {@code ~/.devplugin/backups/<groupId>/<artifactId>}: survives {@code mvn clean}, private to the user. */
  static Path defaultBackupDirectory(ProjectInfo project) {
    return Path.of(System.getProperty("user.home"), ".devplugin", "backups", project.groupId(), project.artifactId());
  }

  /** The element or property that set a value: {@code -Ddevplugin.db.url} or {@code <environments><prod>...}. */
  private static String origin(Section.Value v, String fallback) {
    if (v == null) {
      return fallback;
    }
    return v.origin().startsWith("-D") ? v.origin() : v.location();
  }
}
