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
      return Optional.of(parse(Files.readString(file)));
    } catch (IOException | RuntimeException e) {
      throw new EnvironmentError("Cannot read " + file + " (written by devplugin:image): " + e.getMessage()
          + ". Delete it and run devplugin:image again.", e);
    }
  }

  /**
   * Reads what {@link #write} wrote with Jackson's streaming parser: the up-to-date checks of {@code image},
   * {@code k8s} and {@code compose} read this file, and data binding (about 600 classes of jackson-databind) cost
   * them more than all of their other work (issue 15). Unknown fields are skipped, as the data binding did.
   */
  static ImageRecord parse(String json) {
    java.util.Map<String, String> text = new java.util.HashMap<>();
    java.util.Map<String, List<String>> lists = new java.util.HashMap<>();
    try (tools.jackson.core.JsonParser p = new tools.jackson.core.json.JsonFactory()
        .createParser(tools.jackson.core.ObjectReadContext.empty(), json)) {
      if (p.nextToken() != tools.jackson.core.JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        tools.jackson.core.JsonToken t = p.nextToken();
        if (t == tools.jackson.core.JsonToken.START_ARRAY) {
          List<String> values = new java.util.ArrayList<>();
          for (t = p.nextToken(); t != tools.jackson.core.JsonToken.END_ARRAY; t = p.nextToken()) {
            values.add(scalar(p, t, name));
          }
          lists.put(name, values);
        } else if (t == tools.jackson.core.JsonToken.START_OBJECT) {
          p.skipChildren();
        } else {
          text.put(name, scalar(p, t, name));
        }
      }
    }
    return new ImageRecord(text.get("image"), lists.get("tags"), text.get("digest"), text.get("imageId"),
        text.get("reference"), text.get("target"), text.get("tarFile"), lists.get("platforms"),
        text.get("environment"));
  }

  private static String scalar(tools.jackson.core.JsonParser p, tools.jackson.core.JsonToken t, String name) {
    if (t == tools.jackson.core.JsonToken.VALUE_NULL) {
      return null;
    }
    if (!t.isScalarValue()) {
      throw new IllegalArgumentException("\"" + name + "\" holds " + t + " where a text was expected");
    }
    return p.getString();
  }

  public boolean write(Path file) {
    return Outputs.writeIfChanged(file, text());
  }

  /**
   * The record as {@link Json#write} writes it (components in order), written without Jackson: an incremental image
   * build loads no JSON library ({@code ImageRecordTest} holds both to the same bytes).
   */
  String text() {
    return io.github.devplugin.core.JsonText.write(io.github.devplugin.core.JsonText.Fields.of("image", image, "tags",
        tags, "digest", digest, "imageId", imageId, "reference", reference, "target", target, "tarFile", tarFile,
        "platforms", platforms, "environment", environment));
  }
}
