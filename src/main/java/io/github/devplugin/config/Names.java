package io.github.devplugin.config;

import java.util.regex.Pattern;

/** The naming rules the generated artefacts impose (Kubernetes, Compose, process environments). */
public final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SECRETISH =
      Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL).*");

  private Names() {}

  /** RFC 1123 label: lower case alphanumerics and '-', at most 63 characters (names of services, environments). */
  public static boolean isDnsLabel(String s) {
    return s != null && s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  /** RFC 1123 subdomain, optionally a wildcard (Ingress hosts). */
  public static boolean isHost(String s) {
    return s != null && s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
  }

  public static boolean isEnvVarName(String s) {
    return s != null && ENV_VAR.matcher(s).matches();
  }

  /** IANA service name: at most 15 characters, lower case alphanumerics and '-', at least one letter. */
  public static boolean isPortName(String s) {
    return s != null && s.length() <= 15 && PORT_NAME.matcher(s).matches() && s.chars().anyMatch(Character::isLetter)
        && !s.contains("--");
  }

  /** True for names like DB_PASSWORD or API_TOKEN whose values must not be written in plain text. */
  public static boolean looksSecret(String name) {
    return SECRETISH.matcher(name).matches();
  }

  /** A best-effort DNS label from an arbitrary name (for suggestions in error messages). */
  public static String toDnsLabel(String s) {
    String t = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    return t.length() > 63 ? t.substring(0, 63).replaceAll("-+$", "") : t;
  }
}
