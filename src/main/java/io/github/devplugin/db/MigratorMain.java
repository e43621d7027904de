package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.UserError;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The migrator inside the app image (compose's one-shot {@code migrate} service, the Kubernetes migration Job):
 * {@code java -cp /opt/devplugin/migrate/*:/app/resources io.github.devplugin.db.MigratorMain}. Reads
 * {@code DATABASE_URL} (JDBC), {@code DATABASE_USER}, {@code DATABASE_PASSWORD} and optionally
 * {@code FLYWAY_LOCATIONS} (comma-separated, default {@code classpath:db/migration}), {@code FLYWAY_SCHEMAS},
 * {@code FLYWAY_TABLE}, {@code DEVPLUGIN_LOCK_TIMEOUT} and {@code DEVPLUGIN_CONNECT_TIMEOUT} (seconds) and
 * {@code DEVPLUGIN_APP_CLASSPATH} (the app's classes and jars for Java migrations and callbacks, default
 * {@code /app/classes:/app/libs/*}; Quarkus' fast-jar: {@code /app/app/*:/app/lib/main/*}) from the environment,
 * runs the same migrate core as {@code devplugin:migrate} and prints the table of migrations. Exit code
 * 0 on success, 1 for a failed migration or bad settings, 2 when the database cannot be reached. Needs only Flyway,
 * the PostgreSQL driver and this package: no Maven.
 */
public final class MigratorMain {
  /**
   * The variable naming where the app's classes and libraries are in the image, for its migrations, Java migrations
   * and callbacks ({@code image.ImageLayout.migrateEnvironment} sets it for layouts other than Jib's).
   */
  public static final String APP_CLASSPATH = "DEVPLUGIN_APP_CLASSPATH";

  /** Jib's layout: {@code image.ImageLayout.appClassPath} of a class-path launch. */
  public static final String DEFAULT_APP_CLASSPATH = "/app/classes:/app/libs/*";

  private MigratorMain() {}

  public static void main(String[] args) {
    System.exit(run(System.getenv(), System.out, System.err));
  }

  /** Runs a migration with the given environment; returns the exit code. */
  public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
    Masker masker = new Masker();
    BuildLog log = new StreamLog(out, err, masker, "true".equalsIgnoreCase(env.get("DEVPLUGIN_DEBUG")));
    try {
      String url = required(env, "DATABASE_URL", "the JDBC URL, e.g. jdbc:postgresql://db:5432/app");
      String user = required(env, "DATABASE_USER", "the database user");
      String password = env.get("DATABASE_PASSWORD");
      masker.add(password);
      DbTarget target = new DbTarget(url, user, password == null || password.isEmpty() ? null : password,
          "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
          seconds(env, "DEVPLUGIN_CONNECT_TIMEOUT", 10));
      MigrationSpec spec = new MigrationSpec(list(env.getOrDefault("FLYWAY_LOCATIONS", "classpath:db/migration")),
          list(env.getOrDefault("FLYWAY_SCHEMAS", "")), env.getOrDefault("FLYWAY_TABLE", "flyway_schema_history"),
          seconds(env, "DEVPLUGIN_LOCK_TIMEOUT", 30),
          appClassLoader(env.getOrDefault(APP_CLASSPATH, DEFAULT_APP_CLASSPATH), log));
      log.info("Migrating " + target.hostAndPort() + "/" + target.database() + " as " + user + " from "
          + String.join(", ", spec.locations()));
      Migrator.Outcome outcome = new Migrator(target, spec, log, "DEVPLUGIN_LOCK_TIMEOUT").migrate(false, null);
      for (String line : Migrator.table(outcome.rows(), 20)) {
        log.info(line);
      }
      return 0;
    } catch (UserError e) {
      log.error(e.getMessage());
      return 1;
    } catch (EnvironmentError e) {
      log.error(e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      log.error("Migration failed unexpectedly: " + e);
      return 1;
    }
  }

  /**
   * The app's compiled classes and libraries, where its Java migrations and callbacks (and what they use) are: the
   * entries of {@code classpath} that exist ({@code dir/*} stands for the jars in {@code dir}), over the migrator's
   * own class path, which wins for Flyway's and the driver's classes.
   */
  static ClassLoader appClassLoader(String classpath, BuildLog log) {
    List<java.net.URL> urls = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      java.nio.file.Path p = java.nio.file.Path.of(entry.strip().replaceFirst("[/\\\\]\\*$", ""));
      try {
        if (entry.strip().endsWith("*")) {
          if (java.nio.file.Files.isDirectory(p)) {
            try (var jars = java.nio.file.Files.list(p)) {
              for (java.nio.file.Path jar : jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(jar.toUri().toURL());
              }
            }
          }
        } else if (java.nio.file.Files.exists(p)) {
          urls.add(p.toUri().toURL());
        }
      } catch (java.io.IOException e) {
        throw new EnvironmentError("Cannot read " + p + " (" + APP_CLASSPATH + "): " + e.getMessage(), e);
      }
    }
    log.debug("App class path for Java migrations: " + urls);
    return new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new), MigratorMain.class.getClassLoader());
  }

  private static String required(Map<String, String> env, String name, String what) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new UserError(name + " is not set. Fix: set it to " + what + ".");
    }
    return v.strip();
  }

  private static int seconds(Map<String, String> env, String name, int defaultValue) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UserError(name + "='" + v + "' is not a positive number of seconds. Fix: e.g. " + name + "="
          + defaultValue + ".");
    }
  }

  private static List<String> list(String v) {
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /** Plain lines on stdout/stderr, masked, for container logs. */
  private record StreamLog(PrintStream out, PrintStream err, Masker masker, boolean debug) implements BuildLog {
    @Override
    public void info(String message) {
      out.println(masker.mask(message));
    }

    @Override
    public void warn(String message) {
      err.println("WARNING: " + masker.mask(message));
    }

    @Override
    public void error(String message) {
      err.println("ERROR: " + masker.mask(message));
    }

    @Override
    public void debug(String message) {
      if (debug) {
        out.println("DEBUG: " + masker.mask(message));
      }
    }

    @Override
    public boolean isDebugEnabled() {
      return debug;
    }
  }
}
