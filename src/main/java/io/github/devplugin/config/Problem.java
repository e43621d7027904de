package io.github.devplugin.config;

/**
 * One configuration problem: the element (POM path or {@code -D} property) it is about, what is wrong, and the fix.
 */
public record Problem(String element, String message, String fix) {
  @Override
  public String toString() {
    return element + ": " + message + (fix == null || fix.isEmpty() ? "" : " Fix: " + fix);
  }
}
