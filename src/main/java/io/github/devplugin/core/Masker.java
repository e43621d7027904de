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

  /** The password of a URL's user-info: {@code scheme://user:PASSWORD@host}. */
  private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile(
      "([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@?#]*:)([^\\s@/?#]+)(@)");
  /** A password in a URL's query or a JDBC URL's properties: {@code ?password=...}, {@code &password=...}. */
  private static final java.util.regex.Pattern QUERY_PASSWORD = java.util.regex.Pattern.compile(
      "(?i)([?&;]password=)([^&;\\s]+)");

  /**
   * The text with every registered value, and every password a URL carries (user-info or a {@code password=}
   * parameter, registered or not), replaced by {@link #MASK}.
   */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = USER_INFO.matcher(text).replaceAll("$1" + MASK + "$3");
    out = QUERY_PASSWORD.matcher(out).replaceAll("$1" + MASK);
    if (values.isEmpty()) {
      return out;
    }
    for (String v : values) {
      if (out.contains(v)) {
        out = out.replace(v, MASK);
      }
    }
    return out;
  }
}
