package io.github.devplugin.image;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Outputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the {@code image} goal built, recorded in {@code target/devplugin/image.json} for the other goals: compose and
 * Kubernetes pin {@link #reference()} (the digest-pinned reference when the image went to a registry).
 *
 * @param image repository without tag, e.g. {@code registry.example.com/team/notes}
 * @param tags the tags pushed
 * @param digest manifest (or index) digest, {@code sha256:...}
 * @param imageId config digest
 * @param reference what to deploy: {@code image@digest} for registries, {@code image:tag} for tars and engines
 * @param target {@code registry}, {@code tar} or {@code engine}
 * @param tarFile the tar written, for the tar target
 * @param platforms the platforms built
 * @param environment the environment whose configuration built it; other environments' goals do not deploy it
 */
public record ImageRecord(String image, List<String> tags, String digest, String imageId, String reference,
    String target, String tarFile, List<String> platforms, String environment) {

  public ImageRecord {
    tags = tags == null ? List.of() : List.copyOf(tags);
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
  }

  /** A record not yet tied to an environment. */
  public ImageRecord(String image, List<String> tags, String digest, String imageId, String reference,
      String target, String tarFile, List<String> platforms) {
    this(image, tags, digest, imageId, reference, target, tarFile, platforms, null);
  }

  /** The same record, built for {@code env}. */
  public ImageRecord withEnvironment(String env) {
    return new ImageRecord(image, tags, digest, imageId, reference, target, tarFile, platforms, env);
  }

  /** True when this image may be deployed for {@code env} (it was built for it, or records no environment). */
  public boolean isFor(String env) {
    return environment == null || environment.equals(env);
  }

  /** {@code target/devplugin/image.json} of a project's {@code target/devplugin} directory. */
  public static Path file(Path devpluginDirectory) {
    return devpluginDirectory.resolve("image.json");
  }

  public static Optional<ImageRecord> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readValue(Files.readString(file), ImageRecord.class));
    } catch (IOException | RuntimeException e) {
      throw new EnvironmentError("Cannot read " + file + " (written by devplugin:image): " + e.getMessage()
          + ". Delete it and run devplugin:image again.", e);
    }
  }

  public boolean write(Path file) {
    return Outputs.writeIfChanged(file, Json.write(this));
  }
}
