package io.github.devplugin.scan;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A vulnerability's severity: from a CVSS 3.x vector in the OSV record's {@code severity} (its base score, computed
 * as the CVSS 3.1 specification says), else the record's {@code database_specific.severity} (GitHub's
 * {@code MODERATE} is {@code MEDIUM}), else {@code UNKNOWN}. CVSS 4.0 and 2.0 vectors are not scored; such records
 * fall back to {@code database_specific.severity}.
 */
public enum Severity {
  UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL;

  /** A {@code <failOn>} value or a database label. */
  public static Severity parse(String label) {
    String s = label.strip().toUpperCase(Locale.ROOT);
    return s.equals("MODERATE") ? MEDIUM : s.equals("IMPORTANT") ? HIGH : Severity.valueOf(s);
  }

  /** The severity band of a CVSS 3.x score. */
  public static Severity ofScore(double score) {
    return score >= 9.0 ? CRITICAL : score >= 7.0 ? HIGH : score >= 4.0 ? MEDIUM : score > 0 ? LOW : UNKNOWN;
  }

  /** The CVSS 3.x base score of a vector ({@code CVSS:3.1/AV:N/AC:L/...}), or -1 when it is not a 3.x vector. */
  public static double cvss3(String vector) {
    if (vector == null || !vector.startsWith("CVSS:3.")) {
      return -1;
    }
    Map<String, String> m = new HashMap<>();
    for (String part : vector.split("/")) {
      int colon = part.indexOf(':');
      if (colon > 0) {
        m.put(part.substring(0, colon), part.substring(colon + 1));
      }
    }
    try {
      boolean changed = "C".equals(m.get("S"));
      double av = switch (m.get("AV")) {
        case "N" -> 0.85; case "A" -> 0.62; case "L" -> 0.55; case "P" -> 0.2; default -> throw bad();
      };
      double ac = switch (m.get("AC")) {
        case "L" -> 0.77; case "H" -> 0.44; default -> throw bad();
      };
      double pr = switch (m.get("PR")) {
        case "N" -> 0.85; case "L" -> changed ? 0.68 : 0.62; case "H" -> changed ? 0.5 : 0.27; default -> throw bad();
      };
      double ui = switch (m.get("UI")) {
        case "N" -> 0.85; case "R" -> 0.62; default -> throw bad();
      };
      double iss = 1 - (1 - cia(m.get("C"))) * (1 - cia(m.get("I"))) * (1 - cia(m.get("A")));
      double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
      double exploitability = 8.22 * av * ac * pr * ui;
      if (impact <= 0) {
        return 0;
      }
      return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static double cia(String v) {
    return switch (v) {
      case "H" -> 0.56; case "L" -> 0.22; case "N" -> 0; default -> throw bad();
    };
  }

  private static IllegalArgumentException bad() {
    return new IllegalArgumentException("not a CVSS 3 metric");
  }

  /** CVSS 3.1's Roundup. */
  static double roundUp(double x) {
    long i = Math.round(x * 100000);
    return i % 10000 == 0 ? i / 100000.0 : (Math.floor(i / 10000.0) + 1) / 10.0;
  }
}
