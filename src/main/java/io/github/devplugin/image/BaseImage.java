package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.UserError;
import java.nio.file.Path;

/**
 * The base of an image, {@code <image><from>} parsed once (by {@link ImagePlanner}): an image in a registry, a
 * Docker-format tar file ({@code tar:///path}), an image of the local engine ({@code docker://name}), or a runtime
 * linked from the build's JDK ({@code jlink}). Everything downstream switches on the kind; nobody parses the text
 * again. {@link #toString()} gives the text as configured, for messages and fingerprints.
 */
public sealed interface BaseImage {
  /** The prefix of a base image tar. */
  String TAR_PREFIX = "tar://";

  /** The prefix of an image of the local engine. */
  String ENGINE_PREFIX = "docker://";

  /** An image in a registry, pulled by jib. */
  record Registry(ImageReference reference, String text) implements BaseImage {
    @Override
    public String toString() {
      return text;
    }
  }

  /** A Docker-format image tar. */
  record Tar(Path file) implements BaseImage {
    @Override
    public String toString() {
      return TAR_PREFIX + file;
    }
  }

  /** An image of the local engine (Docker Engine API), exported to a tar before the build. */
  record Engine(String name) implements BaseImage {
    @Override
    public String toString() {
      return ENGINE_PREFIX + name;
    }
  }

  /** A Java runtime linked from the build's own JDK ({@link JlinkBase}). */
  record Jlink() implements BaseImage {
    @Override
    public String toString() {
      return ImageSettings.JLINK;
    }
  }

  /** Parses {@code <image><from>}; an invalid registry reference is a {@link UserError} naming the setting. */
  static BaseImage parse(String from) {
    if (ImageSettings.JLINK.equals(from)) {
      return new Jlink();
    }
    if (from.startsWith(TAR_PREFIX)) {
      return new Tar(Path.of(from.substring(TAR_PREFIX.length())));
    }
    if (from.startsWith(ENGINE_PREFIX)) {
      return new Engine(from.substring(ENGINE_PREFIX.length()));
    }
    return new Registry(reference(from, OverrideProperties.setting("image.from")), from);
  }

  /**
   * Parses an image reference.
   *
   * @param setting the element and property that name it ({@link OverrideProperties#setting(String)})
   */
  static ImageReference reference(String reference, String setting) {
    try {
      return ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new UserError(setting + " '" + reference + "' is not a valid image reference. Fix: use"
          + " registry.example.com/team/app:tag (lower case repository, tag of letters, digits, '.', '_', '-').");
    }
  }
}
