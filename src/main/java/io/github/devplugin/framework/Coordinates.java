package io.github.devplugin.framework;

/** {@code groupId:artifactId:version} of a POM, e.g. the project's parent. */
public record Coordinates(String groupId, String artifactId, String version) {

  @Override
  public String toString() {
    return groupId + ":" + artifactId + (version == null ? "" : ":" + version);
  }
}
