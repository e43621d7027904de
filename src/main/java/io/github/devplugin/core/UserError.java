package io.github.devplugin.core;

/**
 * Something the user must fix: bad configuration, a failed migration, an invalid manifest. The message names the POM
 * element or {@code -D} property and the fix. Front-ends map it to a build failure (Maven: {@code MojoFailureException}).
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
