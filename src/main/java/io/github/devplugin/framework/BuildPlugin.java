package io.github.devplugin.framework;

import java.util.Map;
import java.util.TreeMap;

/**
 * A build plugin of the project with its simple configuration values (elements holding text, e.g.
 * spring-boot-maven-plugin's {@code mainClass} or the compiler plugin's {@code release}).
 */
public record BuildPlugin(String groupId, String artifactId, String version, Map<String, String> configuration) {

  public BuildPlugin {
    configuration = configuration == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new TreeMap<>(configuration));
  }

  /** {@code groupId:artifactId}. */
  public String key() {
    return groupId + ":" + artifactId;
  }

  @Override
  public String toString() {
    return key() + (version == null ? "" : ":" + version);
  }
}
