package io.github.devplugin.image;

import java.util.List;

/**
 * Where things live inside the images devplugin builds (Jib and Dockerfile alike), and the commands that rely on
 * that layout. The compose and Kubernetes generators use these commands, so they work on any image the
 * {@code image} or {@code dockerfile} goal produced.
 */
public final class ImageLayout {
  private ImageLayout() {}

  /** Application root: {@code libs/}, {@code resources/}, {@code classes/} below it (Jib's layout). */
  public static final String APP_ROOT = "/app";

  /** The compiled {@link io.github.devplugin.probe.HealthCheck} (a class directory). */
  public static final String PROBE_DIR = "/opt/devplugin/probe";

  /** The migrator: Flyway, the PostgreSQL driver and devplugin's migration core, as jars. */
  public static final String MIGRATOR_DIR = "/opt/devplugin/migrate";

  /** Main class of the migrator inside the image. */
  public static final String MIGRATOR_MAIN = "io.github.devplugin.db.MigratorMain";

  /** Directory the process may write to (an emptyDir in Kubernetes, where the root file system is read-only). */
  public static final String TMP_DIR = "/tmp";

  /** JVM flags that keep a short-lived helper JVM (probe, migrator) small and quick to start. */
  private static final List<String> SMALL_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
      "-Xmx32m");

  /** The health-check command: exits 0 when {@code http://127.0.0.1:port/path} answers 2xx. */
  public static List<String> healthCheckCommand(int port, String path) {
    return healthCheckCommand(port, io.github.devplugin.framework.Probe.http(path));
  }

  /**
   * The health-check command of a framework's probe: an HTTP GET of its path ({@code http://127.0.0.1:port/path}
   * answers 2xx), or for a TCP probe a connect to {@code tcp://127.0.0.1:port}.
   */
  public static List<String> healthCheckCommand(int port, io.github.devplugin.framework.Probe probe) {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add("java");
    cmd.addAll(SMALL_JVM);
    cmd.add("-cp");
    cmd.add(PROBE_DIR);
    cmd.add("io.github.devplugin.probe.HealthCheck");
    cmd.add(probe.isHttp() ? "http://127.0.0.1:" + port + probe.path() : "tcp://127.0.0.1:" + port);
    return List.copyOf(cmd);
  }

  /** {@code DEVPLUGIN_APP_CLASSPATH}: where {@code db.MigratorMain} looks for the app's migrations and classes. */
  public static final String APP_CLASSPATH_VARIABLE = io.github.devplugin.db.MigratorMain.APP_CLASSPATH;

  /**
   * The app's classes, resources and libraries inside the image, as a class path ({@code dir/*}: the jars in
   * {@code dir}): Jib's layout ({@code /app/classes}, {@code /app/libs/*}; its resources are on the migrator's own
   * class path), or Quarkus' fast-jar ({@code /app/app/*}: the application's jar with its migrations,
   * {@code /app/lib/main/*}: its libraries).
   */
  public static String appClassPath(io.github.devplugin.framework.Launch.Kind kind) {
    return switch (kind) {
      case CLASSPATH -> io.github.devplugin.db.MigratorMain.DEFAULT_APP_CLASSPATH;
      case FAST_JAR -> APP_ROOT + "/app/*:" + APP_ROOT + "/lib/main/*";
    };
  }

  /**
   * The environment {@link #migrateCommand()} needs besides the database's: {@link #APP_CLASSPATH_VARIABLE} where
   * the layout is not the migrator's default (Jib's), so that it finds the migrations; empty otherwise.
   */
  public static java.util.Map<String, String> migrateEnvironment(io.github.devplugin.framework.Launch.Kind kind) {
    return kind == io.github.devplugin.framework.Launch.Kind.CLASSPATH ? java.util.Map.of()
        : java.util.Map.of(APP_CLASSPATH_VARIABLE, appClassPath(kind));
  }

  /**
   * The migration command: applies the image's own migrations ({@code classpath:db/migration} from the app's
   * resources, unless other locations are given) to {@code DATABASE_URL} as {@code DATABASE_USER} with
   * {@code DATABASE_PASSWORD}, all from the environment, with {@link #migrateEnvironment} for the image's layout.
   */
  public static List<String> migrateCommand() {
    return List.of("java", "-XX:+UseSerialGC", "-Xmx128m", "-cp", MIGRATOR_DIR + "/*:" + APP_ROOT + "/resources",
        MIGRATOR_MAIN);
  }
}
