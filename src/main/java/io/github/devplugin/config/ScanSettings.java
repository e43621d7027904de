package io.github.devplugin.config;

import java.util.Locale;

/**
 * The {@code <image><scan>} element: how {@code devplugin:scan} gates the image.
 *
 * @param enabled whether the goal runs (default: on in {@code prod}, off elsewhere)
 * @param database an offline OSV database (a directory of OSV JSON records, an OSV {@code all.zip} export, or a
 *     directory of such zips), relative to the project directory; null runs the secret scan only
 * @param failOn the lowest severity that fails the build: {@code LOW}, {@code MEDIUM}, {@code HIGH} (default),
 *     {@code CRITICAL}, or {@code UNKNOWN} (everything, also advisories without a severity)
 * @param allowList the allow-list file, relative to the project directory ({@code <id> <YYYY-MM-DD> <reason>} per
 *     line); unset, {@link #DEFAULT_ALLOW_LIST} when it exists
 */
public record ScanSettings(boolean enabled, String database, String failOn, String allowList) {
  /** The allow-list read when it exists and {@code <allowList>} is not set. */
  public static final String DEFAULT_ALLOW_LIST = "src/scan/allowlist.txt";

  static ScanSettings from(Section s, String environment) {
    boolean enabled = s.bool("enabled", Environments.isProduction(environment));
    String database = s.string("database", null);
    String failOn = s.string("failOn", "HIGH");
    if (failOn != null && !failOn.toUpperCase(Locale.ROOT).matches("UNKNOWN|LOW|MEDIUM|MODERATE|HIGH|CRITICAL")) {
      s.problem("failOn", "'" + failOn + "' is not a severity.", "use LOW, MEDIUM, HIGH or CRITICAL (or UNKNOWN to"
          + " fail on every advisory), e.g. " + OverrideProperties.setting("image.scan.failOn", "HIGH") + ".");
      failOn = "HIGH";
    }
    String allowList = s.string("allowList", null);
    return new ScanSettings(enabled, database, failOn, allowList);
  }
}
