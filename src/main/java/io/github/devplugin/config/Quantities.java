package io.github.devplugin.config;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 250m}, {@code 512Mi}, {@code 1.5}): strict syntax and numeric values. */
public final class Quantities {
  // the grammar of k8s.io/apimachinery resource.Quantity
  private static final Pattern QUANTITY = Pattern.compile(
      "^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$");

  private Quantities() {}

  public static boolean isValid(String text) {
    return text != null && QUANTITY.matcher(text.trim()).matches();
  }

  /** The numeric amount (cores for CPU, bytes for memory). The text must be {@linkplain #isValid valid}. */
  public static BigDecimal amount(String text) {
    return Quantity.getAmountInBytes(new Quantity(text.trim()));
  }

  /**
   * Validates a CPU or memory quantity, reporting a problem that names the element and shows a correct example.
   *
   * @return the quantity, or null when it is invalid
   */
  public static String check(Section section, String key, String defaultValue, boolean memory) {
    Section.Value v = section.raw(key);
    String text = v == null ? defaultValue : v.text().trim();
    if (v == null) {
      section.context().trace(section.path() + "." + key, defaultValue, Section.DEFAULT,
          section.element() + "<" + key + ">");
      return defaultValue;
    }
    section.context().trace(section.path() + "." + key, v.text(), v.origin(), v.location());
    String example = memory ? "256Mi, 1Gi or 512M" : "250m, 0.5 or 2";
    if (!isValid(text)) {
      section.problem(v, "'" + v.text() + "' is not a Kubernetes quantity.",
          "use a number with an optional suffix, e.g. " + example + ".");
      return null;
    }
    if (amount(text).signum() <= 0) {
      section.problem(v, "'" + v.text() + "' must be greater than zero.", "use e.g. " + example + ".");
      return null;
    }
    if (memory && text.endsWith("m")) {
      section.problem(v, "'" + v.text() + "' means " + text.substring(0, text.length() - 1)
          + " thousandths of a byte (m is milli).", "write " + text.substring(0, text.length() - 1)
          + "Mi for mebibytes.");
      return null;
    }
    return text;
  }
}
