package io.github.devplugin.config;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one table of configuration keys that a {@code -D} property (or goal parameter) overrides: the Mojos register
 * their overrides from it, and messages name a key's property from it instead of spelling it by hand. Keys are dotted
 * configuration paths ({@code image.to}); a goal adding an override adds its line here.
 */
public final class OverrideProperties {
  private static final Map<String, String> BY_PATH = new TreeMap<>(Map.ofEntries(
      Map.entry("image.from", "devplugin.image.from"),
      Map.entry("image.to", "devplugin.image.to"),
      Map.entry("image.target", "devplugin.image.target"),
      Map.entry("image.tags", "devplugin.image.tags"),
      Map.entry("image.insecure", "devplugin.image.insecure"),
      Map.entry("image.dockerfile.mode", "devplugin.dockerfile.mode"),
      Map.entry("image.dockerfile.file", "devplugin.dockerfile.file"),
      Map.entry("image.dockerfile.builderImage", "devplugin.dockerfile.builderImage"),
      Map.entry("image.dockerfile.skipTests", "devplugin.dockerfile.skipTests"),
      Map.entry("image.scan.enabled", "devplugin.scan.enabled"),
      Map.entry("image.scan.database", "devplugin.scan.database"),
      Map.entry("image.scan.failOn", "devplugin.scan.failOn"),
      Map.entry("image.scan.allowList", "devplugin.scan.allowList"),
      Map.entry("compose.outputDirectory", "devplugin.compose.outputDirectory"),
      Map.entry("compose.command", "devplugin.up.command"),
      Map.entry("compose.randomPorts", "devplugin.up.randomPorts"),
      Map.entry("compose.upTimeout", "devplugin.up.timeout"),
      Map.entry("service.framework", "devplugin.framework"),
      Map.entry("database.url", "devplugin.db.url"),
      Map.entry("database.backup", "devplugin.migrate.backup"),
      Map.entry("database.user", "devplugin.db.user"),
      Map.entry("database.serverId", "devplugin.db.serverId"),
      Map.entry("database.lockTimeout", "devplugin.db.lockTimeout"),
      Map.entry("kubernetes.outputDirectory", "devplugin.k8s.outputDirectory"),
      Map.entry("kubernetes.prune", "devplugin.apply.prune"),
      Map.entry("kubernetes.undoOnFailure", "devplugin.apply.undo"),
      Map.entry("kubernetes.rolloutTimeoutSeconds", "devplugin.apply.timeout"),
      Map.entry("kubernetes.migrationTimeoutSeconds", "devplugin.apply.migrationTimeout")));

  private OverrideProperties() {}

  /** The {@code -D} property (without {@code -D}) that overrides {@code path}, if any. */
  public static Optional<String> property(String path) {
    return Optional.ofNullable(BY_PATH.get(path));
  }

  /** Every key with its property, sorted by key. */
  public static Map<String, String> all() {
    return java.util.Collections.unmodifiableMap(BY_PATH);
  }

  /** {@code image.to} as the POM element {@code <image><to>}. */
  public static String element(String path) {
    StringBuilder sb = new StringBuilder();
    for (String part : path.split("\\.")) {
      sb.append('<').append(part).append('>');
    }
    return sb.toString();
  }

  /**
   * How a message names a setting the user can change: {@code <image><to> (-Ddevplugin.image.to)}, or the element
   * alone when no property overrides it.
   */
  public static String setting(String path) {
    return element(path) + property(path).map(p -> " (-D" + p + ")").orElse("");
  }

  /**
   * How a fix names a setting with the value to give it: {@code <image><target>tar</target>
   * (-Ddevplugin.image.target=tar)}, or the element alone when no property overrides it.
   */
  public static String setting(String path, String value) {
    return element(path) + value + "</" + path.substring(path.lastIndexOf('.') + 1) + ">"
        + property(path).map(p -> " (-D" + p + "=" + value + ")").orElse("");
  }
}
