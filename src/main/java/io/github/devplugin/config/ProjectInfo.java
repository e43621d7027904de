package io.github.devplugin.config;

import java.nio.file.Path;
import java.util.List;

/**
 * What the build knows about the project, converted once from the front-end's model (Maven: {@code MavenProject}).
 *
 * @param basedir the project directory
 * @param buildDirectory {@code target/}
 * @param outputDirectory compiled classes and resources, {@code target/classes}
 */
public record ProjectInfo(String groupId, String artifactId, String version, String name, String description,
    String url, List<String> licenses, String scmUrl, Path basedir, Path buildDirectory, Path outputDirectory) {

  public ProjectInfo {
    licenses = licenses == null ? List.of() : List.copyOf(licenses);
  }

  /** {@code target/devplugin/}, where every goal writes. */
  public Path devpluginDirectory() {
    return buildDirectory.resolve("devplugin");
  }
}
