package io.github.devplugin.config;

import io.github.devplugin.core.Fingerprint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configurations loaded in one build (a front-end keeps one per build, e.g. per Maven session), so that the
 * second goal of one invocation ({@code mvn devplugin:k8s devplugin:compose}) does not load and validate every
 * environment again. A loaded configuration is reused only when everything {@link ConfigLoader#loadAll} reads is the
 * same: the project, the plugin's configuration elements (names, values, attributes and locations), the overrides
 * (value and origin), the selected environment and the always-known ones, and every file the loader looked at
 * ({@link ConfigLoader#looksAt}: {@code application.properties}, the migrations directory, a
 * {@code pgBinDirectory}) in the same state (absent, a directory, or a file of the same size, modification time and
 * file key). A load that fails is not kept.
 */
public final class ConfigCache {
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** A loaded configuration and the state of every file its loading looked at. */
  private record Entry(Configuration configuration, Map<Path, String> files) {}

  /**
   * {@link ConfigLoader#loadAll}, or the configuration an earlier call with the same arguments loaded while every file
   * that loading looked at is unchanged.
   *
   * @param reused called with true when the configuration came from this cache, false when it was loaded
   */
  public Configuration loadAll(ProjectInfo project, Map<String, ConfigNode> base, ConfigNode environments,
      List<ConfigLoader.Override> overrides, String environment, List<String> alsoKnown,
      java.util.function.Consumer<Boolean> reused) {
    return loadAll(key(project, base, environments, overrides, environment, alsoKnown), project, base, environments,
        overrides, environment, alsoKnown, reused, new TreeMap<>());
  }

  /**
   * As {@link #loadAll(ProjectInfo, Map, ConfigNode, List, String, List, java.util.function.Consumer)}, given the
   * arguments' {@link #key}, and putting every file the loading looked at, with its state then
   * ({@link #stateOf}), into {@code lookedAt}.
   */
  public Configuration loadAll(String key, ProjectInfo project, Map<String, ConfigNode> base,
      ConfigNode environments, List<ConfigLoader.Override> overrides, String environment, List<String> alsoKnown,
      java.util.function.Consumer<Boolean> reused, Map<Path, String> lookedAt) {
    Entry e = entries.get(key);
    if (e != null && unchanged(e.files())) {
      lookedAt.putAll(e.files());
      reused.accept(true);
      return e.configuration();
    }
    Map<Path, String> files = new TreeMap<>();
    Configuration c = ConfigLoader.recording(files, project, base, environments, overrides, environment, alsoKnown);
    entries.put(key, new Entry(c, Map.copyOf(files)));
    lookedAt.putAll(files);
    reused.accept(false);
    return c;
  }

  /**
   * Everything {@link ConfigLoader#loadAll} reads besides files, as one text (compared whole; a
   * {@link io.github.devplugin.core.Recheck} keeps only its digest): the
   * plugin's version, the project, the selected environment, the always-known ones, the overrides, the
   * {@code <environments>} element and every top-level element, and the user's home directory (the default backup
   * directory lies under it). Equal keys and unchanged files give the same configuration.
   */
  public static String key(ProjectInfo project, Map<String, ConfigNode> base, ConfigNode environments,
      List<ConfigLoader.Override> overrides, String environment, List<String> alsoKnown) {
    StringBuilder out = new StringBuilder();
    str(out, Fingerprint.pluginVersion());
    str(out, System.getProperty("user.home"));
    str(out, Fingerprint.text(project));
    str(out, environment);
    str(out, Fingerprint.text(alsoKnown));
    str(out, Fingerprint.text(overrides));
    str(out, text(environments));
    new TreeMap<>(base).forEach((name, node) -> {
      str(out, name);
      str(out, text(node));
    });
    return out.toString();
  }

  /** The state of a file {@code lookedAt} holds, as loading recorded it (to tell whether it changed since). */
  public static String stateOf(Path file) {
    return ConfigLoader.state(file);
  }

  private static boolean unchanged(Map<Path, String> files) {
    for (Map.Entry<Path, String> file : files.entrySet()) {
      if (!ConfigLoader.state(file.getKey()).equals(file.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** A node's whole content: name, value, attributes, location and children, recursively. */
  static String text(ConfigNode node) {
    if (node == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    append(out, node);
    return out.toString();
  }

  private static void append(StringBuilder out, ConfigNode n) {
    // every string length-prefixed, so that no two different trees give one text
    str(out, n.name());
    str(out, n.value());
    str(out, n.location());
    out.append(n.attributes().size()).append('a');
    n.attributes().forEach((k, v) -> {
      str(out, k);
      str(out, v);
    });
    out.append(n.children().size()).append('c');
    for (ConfigNode c : n.children()) {
      append(out, c);
    }
  }

  private static void str(StringBuilder out, String s) {
    if (s == null) {
      out.append("-;");
    } else {
      out.append(s.length()).append(':').append(s);
    }
  }
}
