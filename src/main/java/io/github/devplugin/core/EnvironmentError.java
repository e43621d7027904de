package io.github.devplugin.core;

/**
 * A failure of the environment rather than of the configuration: I/O, an unreachable registry, database or cluster.
 * Front-ends map it to an execution error (Maven: {@code MojoExecutionException}). The message still says what was
 * being reached and which setting points at it.
 */
public class EnvironmentError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EnvironmentError(String message) {
    super(message);
  }

  public EnvironmentError(String message, Throwable cause) {
    super(message, cause);
  }
}
