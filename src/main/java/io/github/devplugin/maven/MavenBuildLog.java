package io.github.devplugin.maven;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.Masker;
import org.apache.maven.plugin.logging.Log;

/** Maven's log behind the core's {@link BuildLog}, with every line passed through the secret {@link Masker}. */
final class MavenBuildLog implements BuildLog {
  private final Log log;
  private final Masker masker;

  MavenBuildLog(Log log, Masker masker) {
    this.log = log;
    this.masker = masker;
  }

  @Override
  public void info(String message) {
    // a line nobody sees (mvn -q) is not masked: Flyway logs one per migration applied
    if (log.isInfoEnabled()) {
      log.info(masker.mask(message));
    }
  }

  @Override
  public void warn(String message) {
    log.warn(masker.mask(message));
  }

  @Override
  public void error(String message) {
    log.error(masker.mask(message));
  }

  @Override
  public void debug(String message) {
    if (log.isDebugEnabled()) {
      log.debug(masker.mask(message));
    }
  }

  @Override
  public boolean isDebugEnabled() {
    return log.isDebugEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return log.isInfoEnabled();
  }
}
