package io.github.devplugin.scan;

import java.util.Comparator;

/**
 * Version orders per OSV ecosystem: Maven's ({@code ComparableVersion}, handed in by the front-end so that the core
 * stays free of Maven types), Debian's (dpkg's {@code verrevcmp}: epoch, upstream version, revision; {@code ~} sorts
 * before everything, even the end) and SemVer 2.0 (for {@code SEMVER} ranges).
 */
public final class Versions {
  private Versions() {}

  /** Debian's version order, as {@code dpkg --compare-versions}. */
  public static final Comparator<String> DEBIAN = Versions::compareDebian;

  /** SemVer 2.0 precedence (build metadata ignored, a leading {@code v} allowed). */
  public static final Comparator<String> SEMVER = Versions::compareSemver;

  static int compareDebian(String a, String b) {
    String[] x = splitDebian(a);
    String[] y = splitDebian(b);
    int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    if (c != 0) {
      return c;
    }
    c = verrevcmp(x[1], y[1]);
    return c != 0 ? c : verrevcmp(x[2], y[2]);
  }

  /** epoch, upstream, revision. */
  private static String[] splitDebian(String v) {
    String s = v.strip();
    String epoch = "0";
    int colon = s.indexOf(':');
    if (colon > 0 && s.substring(0, colon).matches("\\d+")) {
      epoch = s.substring(0, colon);
      s = s.substring(colon + 1);
    }
    String revision = "";
    int dash = s.lastIndexOf('-');
    if (dash >= 0) {
      revision = s.substring(dash + 1);
      s = s.substring(0, dash);
    }
    return new String[] {epoch, s, revision};
  }

  private static int order(char c) {
    if (Character.isDigit(c)) {
      return 0;
    }
    if (Character.isLetter(c)) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }

  private static int verrevcmp(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      int firstDiff = 0;
      while (i < a.length() && !Character.isDigit(a.charAt(i)) || j < b.length() && !Character.isDigit(b.charAt(j))) {
        int ac = i < a.length() ? order(a.charAt(i)) : 0;
        int bc = j < b.length() ? order(b.charAt(j)) : 0;
        if (ac != bc) {
          return Integer.compare(ac, bc);
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (i < a.length() && Character.isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && Character.isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return Integer.signum(firstDiff);
      }
    }
    return 0;
  }

  static int compareSemver(String a, String b) {
    String[] x = semver(a);
    String[] y = semver(b);
    for (int k = 0; k < 3; k++) {
      int c = new java.math.BigInteger(x[k]).compareTo(new java.math.BigInteger(y[k]));
      if (c != 0) {
        return c;
      }
    }
    if (x[3].isEmpty() || y[3].isEmpty()) {
      return Boolean.compare(x[3].isEmpty(), y[3].isEmpty());
    }
    String[] p = x[3].split("\\.");
    String[] q = y[3].split("\\.");
    for (int k = 0; k < Math.min(p.length, q.length); k++) {
      boolean pn = p[k].matches("\\d+");
      boolean qn = q[k].matches("\\d+");
      int c = pn && qn ? new java.math.BigInteger(p[k]).compareTo(new java.math.BigInteger(q[k]))
          : pn ? -1 : qn ? 1 : p[k].compareTo(q[k]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(p.length, q.length);
  }

  private static String[] semver(String v) {
    String s = v.strip();
    if (s.startsWith("v")) {
      s = s.substring(1);
    }
    int plus = s.indexOf('+');
    if (plus >= 0) {
      s = s.substring(0, plus);
    }
    String pre = "";
    int dash = s.indexOf('-');
    if (dash >= 0) {
      pre = s.substring(dash + 1);
      s = s.substring(0, dash);
    }
    String[] parts = s.split("\\.");
    String[] out = {"0", "0", "0", pre};
    for (int k = 0; k < Math.min(3, parts.length); k++) {
      out[k] = parts[k].matches("\\d+") ? parts[k] : "0";
    }
    return out;
  }
}
