package io.github.devplugin.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for the values of {@code <service><env>}, for every output (image, Dockerfile, compose, Kubernetes).
 *
 * <p>A configured value is read once, in Compose's syntax, into {@link Value}: literal text and references to other
 * variables. {@code ${NAME}}, {@code $NAME} and {@code ${NAME:-default}} (and Compose's other operators) are
 * references; {@code $$} is a literal dollar sign, and so is a {@code $} that starts no reference ({@code 5$},
 * {@code ${}}); everything else is literal text, exactly as written (quotes, backslashes, {@code #}, {@code =},
 * {@code $(NAME)}, tabs, any Unicode). Control characters other than tab (newlines included) are refused when the
 * configuration is loaded ({@link #controlCharacter}): a Dockerfile {@code ENV} and a Compose {@code .env} cannot
 * carry them faithfully.
 *
 * <p>Each output resolves the references its own way (the value the service receives, a Compose variable, a
 * Kubernetes {@code $(NAME)} expansion of a secret, or a refusal) and writes the literal text with its
 * {@link Syntax}, so that the service sees the same string whatever runs it.
 */
public final class EnvValues {
  private static final Pattern TOKEN = Pattern.compile(
      "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)((?::?[-?+])[^}]*)?}|\\$([A-Za-z_][A-Za-z0-9_]*)|\\$");

  private EnvValues() {}

  /** A part of a configured value. */
  public sealed interface Part permits Text, Reference {}

  /** Literal text: what the service receives, once the output's escaping is undone by its consumer. */
  public record Text(String text) implements Part {}

  /**
   * A reference to another variable.
   *
   * @param name the referenced variable
   * @param token the reference as Compose reads it ({@code $NAME} written as {@code ${NAME}})
   */
  public record Reference(String name, String token) implements Part {}

  /** A configured value, parsed once into literal text and references. */
  public record Value(List<Part> parts) {
    public Value {
      parts = List.copyOf(parts);
    }

    /** {@code configured} read by the rule of {@link EnvValues}. */
    public static Value parse(String configured) {
      List<Part> parts = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      Matcher m = TOKEN.matcher(configured);
      int last = 0;
      while (m.find()) {
        text.append(configured, last, m.start());
        last = m.end();
        String name = m.group(1) != null ? m.group(1) : m.group(3);
        if (name == null) {
          text.append('$');
          continue;
        }
        if (!text.isEmpty()) {
          parts.add(new Text(text.toString()));
          text.setLength(0);
        }
        parts.add(new Reference(name, m.group(1) != null ? m.group() : "${" + name + "}"));
      }
      text.append(configured, last, configured.length());
      if (!text.isEmpty()) {
        parts.add(new Text(text.toString()));
      }
      return new Value(parts);
    }

    /** The referenced names, in order. */
    public List<String> references() {
      return parts.stream().filter(p -> p instanceof Reference).map(p -> ((Reference) p).name()).toList();
    }

    /**
     * The value as {@code syntax} writes it: literal text escaped, each reference replaced by what
     * {@code resolver} gives (already in {@code syntax}: a resolved value is escaped by the resolver, with
     * {@link Syntax#escape}).
     */
    public String render(Syntax syntax, Resolver resolver) {
      StringBuilder out = new StringBuilder();
      for (Part p : parts) {
        if (p instanceof Text t) {
          out.append(syntax.escape(t.text()));
        } else {
          out.append(resolver.reference((Reference) p));
        }
      }
      return out.toString();
    }
  }

  /** What a reference becomes, written in the output's {@link Syntax}. */
  @FunctionalInterface
  public interface Resolver {
    String reference(Reference reference);
  }

  /** How an output writes literal text so that its consumer gives the service that exact text. */
  public enum Syntax {
    /** Jib's container configuration and a ConfigMap's data (read through {@code envFrom}): the text as is. */
    PLAIN,
    /** Compose files, whose {@code $}-interpolation reads {@code $$} as a literal {@code $}. */
    COMPOSE,
    /**
     * A Kubernetes container's {@code env[].value}, where the kubelet expands {@code $(NAME)} and reads {@code $$}
     * as a literal {@code $}: every {@code $} doubled, so {@code $(X)} arrives as {@code $(X)}.
     */
    KUBERNETES,
    /** Inside a double-quoted word of a Dockerfile instruction ({@code ENV}, {@code LABEL}): {@code \}, {@code "}
     * and {@code $} escaped with a backslash. */
    DOCKERFILE;

    /** {@code literal} written for this output. */
    public String escape(String literal) {
      return switch (this) {
        case PLAIN -> literal;
        case COMPOSE, KUBERNETES -> literal.replace("$", "$$");
        case DOCKERFILE -> literal.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$");
      };
    }
  }

  /**
   * The first control character of {@code value} other than tab (a newline, a carriage return, NUL, ...), named
   * with its code point, e.g. {@code "a line feed (U+000A)"}; empty when there is none.
   */
  public static Optional<String> controlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && Character.getType(c) == Character.CONTROL) {
        String name = switch (c) {
          case '\n' -> "a line feed";
          case '\r' -> "a carriage return";
          default -> "a control character";
        };
        return Optional.of(name + String.format(" (U+%04X)", (int) c));
      }
    }
    return Optional.empty();
  }

  /** The fix for a refused control character, for messages. */
  public static final String CONTROL_FIX = "write the value on one line (tab is allowed); a service that needs"
      + " several lines can read them from a file instead (<service><volumes>, <image><extraDirectories>).";
}
