package io.github.devplugin.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's {@code ${VAR}} interpolation, as it applies to values devplugin writes into compose files: finds the
 * variables a value references and escapes every other {@code $} so that Compose keeps it literally.
 */
final class Interpolation {
  /** {@code $$}, {@code ${NAME}}, {@code ${NAME:-default}} (and the other operators), {@code $NAME}. */
  private static final Pattern TOKEN = Pattern.compile(
      "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)((?::?[-?+])[^}]*)?}|\\$([A-Za-z_][A-Za-z0-9_]*)|\\$");

  private Interpolation() {}

  /** A value as the user wrote it: its references kept, stray dollars escaped. */
  record Parsed(String text, List<String> references) {}

  static Parsed parse(String value) {
    Matcher m = TOKEN.matcher(value);
    StringBuilder out = new StringBuilder();
    List<String> refs = new ArrayList<>();
    while (m.find()) {
      String token = m.group();
      String replacement;
      if (token.equals("$$")) {
        replacement = "$$";
      } else if (m.group(1) != null) {
        refs.add(m.group(1));
        replacement = token;
      } else if (m.group(3) != null) {
        refs.add(m.group(3));
        replacement = "${" + m.group(3) + "}";
      } else {
        replacement = "$$";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return new Parsed(out.toString(), List.copyOf(refs));
  }

  /** A value that must stay literal: every {@code $} doubled. */
  static String literal(String value) {
    return value.replace("$", "$$");
  }
}
