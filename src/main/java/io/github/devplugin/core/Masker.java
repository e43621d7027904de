package io.github.devplugin.core;

import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Replaces every known secret value in a text with {@code ****}. Every value a goal resolves (secrets, registry and
 * database passwords) is registered here before it is used, and front-ends pass every log line through
 * {@link #mask(String)}. Longer values are replaced first so that a secret containing another is fully hidden.
 */
public final class Masker {
  public static final String MASK = "****";

  private final Set<String> values = new ConcurrentSkipListSet<>(
      Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));

  /** Registers a value to hide. Blank values are ignored (they would mask every space). */
  public void add(String value) {
    if (value != null && !value.isBlank()) {
      values.add(value);
      String trimmed = value.strip();
      if (!trimmed.equals(value) && !trimmed.isEmpty()) {
        values.add(trimmed);
      }
    }
  }

  public String mask(String text) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : values) {
      if (out.contains(v)) {
        out = out.replace(v, MASK);
      }
    }
    return out;
  }
}
