package io.github.devplugin.core;

/**
 * The log the core writes to. Front-ends adapt their own log (Maven's {@code Log}) and mask secrets on the way out.
 */
public interface BuildLog {
  void info(String message);

  void warn(String message);

  void error(String message);

  void debug(String message);

  boolean isDebugEnabled();

  /** Whether {@link #info} lines are shown (false under {@code mvn -q}): a caller may skip building them. */
  default boolean isInfoEnabled() {
    return true;
  }

  /** A log that drops everything (for callers that do not care). */
  BuildLog NONE = new BuildLog() {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void error(String message) {}

    @Override
    public void debug(String message) {}

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return false;
    }
  };
}
