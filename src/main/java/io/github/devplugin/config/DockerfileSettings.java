package io.github.devplugin.config;

import io.github.devplugin.core.Problem;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@code <image><dockerfile>} element: how {@code devplugin:dockerfile} writes the Dockerfile.
 *
 * @param mode {@code staged}: {@code target/devplugin/docker/Dockerfile} copies the layers that {@code mvn package}
 *     staged next to it (context: that directory); {@code source}: {@link #file()} compiles the project inside the
 *     build (context: the project directory), for pipelines that run {@code docker build} on the repository
 * @param file the Dockerfile of the {@code source} mode, relative to the project directory; its ignore file is
 *     {@code <file>.dockerignore} next to it
 * @param builderImage the Maven + JDK image of the {@code source} mode's build stages (build argument
 *     {@code BUILDER_IMAGE})
 * @param skipTests whether the {@code source} mode's build skips the tests ({@code -DskipTests})
 */
public record DockerfileSettings(Mode mode, String file, String builderImage, boolean skipTests) {

  /** Which Dockerfile the goal writes. */
  public enum Mode {
    /** Copies the layers {@code mvn package} staged: no Maven, JDK or network inside the build. */
    STAGED,
    /** Builds the project from its sources inside the build. */
    SOURCE
  }

  /** The {@code source} mode's Dockerfile unless {@code <file>} says otherwise. */
  public static final String DEFAULT_FILE = "target/devplugin/docker/Dockerfile.source";

  /** The official Maven image with an Eclipse Temurin 17 JDK, pinned to a Maven release. */
  public static final String DEFAULT_BUILDER_IMAGE = "maven:3.9.11-eclipse-temurin-17";

  /** The defaults: the staged mode. */
  public static final DockerfileSettings DEFAULTS = new DockerfileSettings(Mode.STAGED, DEFAULT_FILE,
      DEFAULT_BUILDER_IMAGE, true);

  static DockerfileSettings from(Section s) {
    Mode mode = s.choice("mode", Mode.class, Mode.STAGED);
    String file = s.string("file", DEFAULT_FILE);
    if (file != null && !file.equals(DEFAULT_FILE)) {
      String problem = fileProblem(file);
      if (problem != null) {
        s.problem("file", "'" + file + "' " + problem, "give a path inside the project directory (the build"
            + " context), relative to it, e.g. " + OverrideProperties.setting("image.dockerfile.file", "Dockerfile")
            + " or <file>" + DEFAULT_FILE + "</file>.");
        file = DEFAULT_FILE;
      }
    }
    String builderImage = s.string("builderImage", DEFAULT_BUILDER_IMAGE);
    if (builderImage != null && !builderImage.equals(DEFAULT_BUILDER_IMAGE)) {
      String problem = ComposeSettings.imageProblem(builderImage);
      if (problem != null) {
        s.problem("builderImage", "'" + builderImage + "' is not a valid image reference: " + problem,
            "name a Maven image with a JDK, e.g. "
                + OverrideProperties.setting("image.dockerfile.builderImage", DEFAULT_BUILDER_IMAGE)
                + ", pinned by digest where you pin images.");
        builderImage = DEFAULT_BUILDER_IMAGE;
      }
    }
    boolean skipTests = s.bool("skipTests", true);
    return new DockerfileSettings(mode, file, builderImage, skipTests);
  }

  /** Why {@code file} cannot be the source Dockerfile, or null. */
  static String fileProblem(String file) {
    if (file.isBlank() || !file.equals(file.strip())) {
      return "is empty or has surrounding spaces.";
    }
    if (file.endsWith("/") || file.endsWith(".dockerignore")) {
      return "is not a Dockerfile name.";
    }
    Path p;
    try {
      p = Path.of(file);
    } catch (InvalidPathException e) {
      return "is not a path.";
    }
    if (p.isAbsolute() || file.startsWith("/")) {
      return "is absolute; the Dockerfile is named relative to the project directory.";
    }
    for (Path part : p) {
      if (part.toString().equals("..")) {
        return "is outside the project directory, which is the build context.";
      }
    }
    return null;
  }
}
