package io.github.devplugin.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every environment's effective configuration, loaded and validated once per goal execution
 * ({@link ConfigLoader#loadAll}), and the one the build selected ({@code -Ddevplugin.env}). Goals that write files for
 * several environments (Dockerfile targets, compose override files, manifests) take them from here instead of loading
 * again.
 */
public record Configuration(Map<String, EffectiveConfig> environments, String selectedName) {
  public Configuration {
    environments = java.util.Collections.unmodifiableMap(new TreeMap<>(environments));
    if (!environments.containsKey(selectedName)) {
      throw new IllegalArgumentException("no environment " + selectedName);
    }
  }

  /** The selected environment's configuration. */
  public EffectiveConfig selected() {
    return environments.get(selectedName);
  }

  /** One environment's configuration. */
  public EffectiveConfig get(String environment) {
    EffectiveConfig c = environments.get(environment);
    if (c == null) {
      throw new IllegalArgumentException("no environment " + environment + " among " + environments.keySet());
    }
    return c;
  }

  /** Every loaded environment's name, sorted. */
  public List<String> names() {
    return List.copyOf(environments.keySet());
  }
}
