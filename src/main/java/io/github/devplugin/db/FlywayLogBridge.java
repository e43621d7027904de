package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.flywaydb.core.api.logging.LogFactory;

/**
 * Sends Flyway's own log lines to the current {@link BuildLog} (so they are masked like every other line). Flyway
 * keeps its loggers in static fields, so the bridge forwards to whatever log the running goal installed.
 */
final class FlywayLogBridge implements Log {
  private static volatile BuildLog target = BuildLog.NONE;
  private static volatile boolean installed;

  private FlywayLogBridge() {}

  /** Installs the bridge (once per class loader) and points it at {@code log}. */
  static synchronized void use(BuildLog log) {
    target = log;
    if (!installed) {
      LogCreator creator = clazz -> new FlywayLogBridge();
      LogFactory.setLogCreator(creator);
      LogFactory.setFallbackLogCreator(creator);
      installed = true;
    }
  }

  @Override
  public boolean isDebugEnabled() {
    return target.isDebugEnabled();
  }

  @Override
  public void debug(String message) {
    target.debug("[flyway] " + message);
  }

  @Override
  public void info(String message) {
    // Flyway's progress lines ("Migrating schema ... to version ...") are useful while a long migration runs
    if (message.startsWith("Migrating ") || message.startsWith("Executing ")) {
      target.info(message);
    } else {
      target.debug("[flyway] " + message);
    }
  }

  @Override
  public void warn(String message) {
    target.warn(message);
  }

  @Override
  public void error(String message) {
    target.debug("[flyway] " + message);
  }

  @Override
  public void error(String message, Exception e) {
    target.debug("[flyway] " + message + ": " + e);
  }

  @Override
  public void notice(String message) {
    target.debug("[flyway] " + message);
  }
}
