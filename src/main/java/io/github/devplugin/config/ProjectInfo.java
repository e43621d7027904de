package io.github.devplugin.config;

import io.github.devplugin.framework.BuildPlugin;
import io.github.devplugin.framework.Coordinates;
import io.github.devplugin.framework.Dependency;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the build knows about the project, converted once from the front-end's model (Maven: {@code MavenProject}).
 *
 * @param basedir the project directory
 * @param buildDirectory {@code target/}
 * @param outputDirectory compiled classes and resources, {@code target/classes}
 * @param dependencies the resolved artifacts when the goal resolved them (with their files), else the declared
 *     dependencies with their managed versions
 * @param plugins the build plugins with their simple configuration values
 * @param parent the parent POM's coordinates, or null
 * @param javaRelease the Java release the project compiles for ({@code maven.compiler.release}, else
 *     {@code maven.compiler.target}/{@code source}, else the compiler plugin's {@code release}), or null when unknown
 * @param properties the project's properties (interpolated), sorted by name
 */
public record ProjectInfo(String groupId, String artifactId, String version, String name, String description,
    String url, List<String> licenses, String scmUrl, Path basedir, Path buildDirectory, Path outputDirectory,
    List<Dependency> dependencies, List<BuildPlugin> plugins, Coordinates parent, Integer javaRelease,
    Map<String, String> properties) {

  public ProjectInfo {
    licenses = licenses == null ? List.of() : List.copyOf(licenses);
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    plugins = plugins == null ? List.of() : List.copyOf(plugins);
    properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
  }

  /** A project without build model (no dependencies, plugins, parent, release or properties known). */
  public ProjectInfo(String groupId, String artifactId, String version, String name, String description, String url,
      List<String> licenses, String scmUrl, Path basedir, Path buildDirectory, Path outputDirectory) {
    this(groupId, artifactId, version, name, description, url, licenses, scmUrl, basedir, buildDirectory,
        outputDirectory, List.of(), List.of(), null, null, Map.of());
  }

  /** This project with its build model: dependencies, plugins, parent, Java release and properties. */
  public ProjectInfo withBuild(List<Dependency> dependencies, List<BuildPlugin> plugins, Coordinates parent,
      Integer javaRelease, Map<String, String> properties) {
    return new ProjectInfo(groupId, artifactId, version, name, description, url, licenses, scmUrl, basedir,
        buildDirectory, outputDirectory, dependencies, plugins, parent, javaRelease, properties);
  }

  /** {@code target/devplugin/}, where every goal writes. */
  public Path devpluginDirectory() {
    return buildDirectory.resolve("devplugin");
  }

  /**
   * The Java release a compiler setting names: {@code 17} for {@code 17}, {@code 8} for {@code 1.8}; null when the
   * value is missing or not a release number (an unresolved {@code ${...}}).
   */
  public static Integer javaRelease(String setting) {
    if (setting == null) {
      return null;
    }
    String v = setting.trim();
    if (v.startsWith("1.")) {
      v = v.substring(2);
    }
    try {
      int release = Integer.parseInt(v);
      return release > 0 ? release : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
