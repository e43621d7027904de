package io.github.devplugin.compose;

/**
 * Compose's {@code ${VAR}} interpolation, as it applies to values devplugin writes into compose files. References
 * in the user's values are read by {@link io.github.devplugin.framework.EnvValues}, the same way as Kubernetes reads
 * them.
 */
final class Interpolation {
  private Interpolation() {}

  /** A value that must stay literal: every {@code $} doubled. */
  static String literal(String value) {
    return value.replace("$", "$$");
  }
}
