package io.github.devplugin.framework;

import java.nio.file.Path;

/**
 * A dependency of the project: a resolved artifact when the build resolved them (then {@code file} is set), else a
 * declared dependency with its managed version.
 *
 * @param scope {@code compile}, {@code runtime}, {@code provided}, {@code test} or {@code system}
 * @param file the artifact's file, or null when not resolved
 */
public record Dependency(String groupId, String artifactId, String version, String scope, Path file) {

  /** {@code groupId:artifactId}. */
  public String key() {
    return groupId + ":" + artifactId;
  }

  /** {@code groupId:artifactId:version}, as shown in messages. */
  @Override
  public String toString() {
    return key() + (version == null ? "" : ":" + version);
  }

  /** True when the dependency is on the runtime class path ({@code compile}, {@code runtime} or no scope). */
  public boolean isRuntime() {
    return scope == null || scope.isEmpty() || scope.equals("compile") || scope.equals("runtime");
  }
}
