package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.flywaydb.core.api.logging.LogFactory;

/**
 * Sends Flyway's own log lines to the {@link BuildLog} of the execution that runs Flyway (so they are masked with that
 * execution's secrets, like every other line it logs). Flyway keeps its loggers in static fields shared by every
 * execution in the plugin's class loader, and Maven runs the modules of a {@code -T} build at the same time, each on its
 * own thread: so the bridge forwards each line to the log the calling thread installed, never to another module's.
 * Flyway runs migrations on the thread that calls it; a line from a thread that installed no log is dropped.
 *
 * <p>Every Flyway a goal builds names {@link #LOGGER} in its {@code loggers} setting: building a Flyway resets
 * Flyway's log creator to the one its configuration names (by default "auto": SLF4J, Log4j 2, ..., unmasked).
 */
public final class FlywayLogBridge implements Log {
  /** The {@code loggers} entry that keeps Flyway's lines on the bridge (Flyway instantiates {@link Creator} by name). */
  static final String LOGGER = Creator.class.getName();

  private static final ThreadLocal<BuildLog> TARGET = ThreadLocal.withInitial(() -> BuildLog.NONE);
  private static volatile boolean installed;

  private FlywayLogBridge() {}

  /** Flyway's log creator for {@link #LOGGER}: public, with a public constructor, so that Flyway can instantiate it. */
  public static final class Creator implements LogCreator {
    public Creator() {}

    @Override
    public Log createLogger(Class<?> clazz) {
      return new FlywayLogBridge();
    }
  }

  /**
   * Installs the bridge (once per class loader) and points the calling thread's Flyway lines at {@code log}, until the
   * thread installs another.
   */
  static void use(BuildLog log) {
    TARGET.set(log == null ? BuildLog.NONE : log);
    if (!installed) {
      synchronized (FlywayLogBridge.class) {
        if (!installed) {
          LogCreator creator = new Creator();
          LogFactory.setLogCreator(creator);
          LogFactory.setFallbackLogCreator(creator);
          installed = true;
        }
      }
    }
  }

  /** The log Flyway's lines on the calling thread go to. */
  static BuildLog target() {
    return TARGET.get();
  }

  @Override
  public boolean isDebugEnabled() {
    return target().isDebugEnabled();
  }

  @Override
  public void debug(String message) {
    BuildLog target = target();
    if (target.isDebugEnabled()) {
      target.debug("[flyway] " + message);
    }
  }

  @Override
  public void info(String message) {
    // Flyway's progress lines ("Migrating schema ... to version ...") are useful while a long migration runs
    if (message.startsWith("Migrating ") || message.startsWith("Executing ")) {
      target().info(message);
    } else {
      target().debug("[flyway] " + message);
    }
  }

  @Override
  public void warn(String message) {
    target().warn(message);
  }

  @Override
  public void error(String message) {
    target().debug("[flyway] " + message);
  }

  @Override
  public void error(String message, Exception e) {
    target().debug("[flyway] " + message + ": " + e);
  }

  @Override
  public void notice(String message) {
    target().debug("[flyway] " + message);
  }
}
