package io.github.devplugin.framework;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * References to other variables in the values of {@code <service><env>}, in Compose's syntax: {@code ${NAME}},
 * {@code ${NAME:-default}} (and Compose's other operators), {@code $NAME}, and {@code $$} for a literal dollar sign.
 * Compose and Kubernetes read a value the same way through {@link #rewrite}; each decides what a reference becomes
 * (the value the service receives, a Compose variable, or a refusal).
 */
public final class EnvValues {
  private static final Pattern TOKEN = Pattern.compile(
      "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)((?::?[-?+])[^}]*)?}|\\$([A-Za-z_][A-Za-z0-9_]*)|\\$");

  private EnvValues() {}

  /** What a reference becomes. */
  @FunctionalInterface
  public interface Resolver {
    /**
     * @param name the referenced variable
     * @param token the reference as Compose reads it ({@code $NAME} written as {@code ${NAME}})
     * @return the text that replaces the reference
     */
    String reference(String name, String token);
  }

  /**
   * {@code value} with every reference replaced by what {@code resolver} gives, and every literal dollar sign
   * ({@code $$}, or a {@code $} that starts no reference) written as {@code literalDollar}.
   */
  public static String rewrite(String value, String literalDollar, Resolver resolver) {
    Matcher m = TOKEN.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) != null) {
        replacement = resolver.reference(m.group(1), m.group());
      } else if (m.group(3) != null) {
        replacement = resolver.reference(m.group(3), "${" + m.group(3) + "}");
      } else {
        replacement = literalDollar;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** True when {@code value} holds a reference or a dollar sign. */
  public static boolean hasDollar(String value) {
    return value.indexOf('$') >= 0;
  }
}
