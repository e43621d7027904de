package io.github.devplugin.sbom;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import tools.jackson.databind.JsonNode;

/**
 * An image as stored (not rebuilt): its config and its layers, read from the tar the {@code image} goal wrote (Docker
 * {@code manifest.json} or OCI image layout, the first manifest of an OCI index) or from a registry. Layers are walked
 * in order; every regular file is handed to a {@link FileVisitor} with its content stream.
 */
public final class ImageFiles implements AutoCloseable {
  /** Where a layer's bytes come from (gzip-compressed or not). */
  public interface Source {
    InputStream open() throws IOException;
  }

  /** A layer: its digest as stored and its bytes. */
  public record Layer(String digest, Source source) {}

  /** Receives every regular file of every layer, in layer order. */
  public interface FileVisitor {
    /**
     * @param layer index of the layer (0 = the base's first)
     * @param path absolute path in the image, e.g. {@code /app/libs/x.jar}
     * @param content the file's bytes (read it or not; closed by the caller)
     */
    void file(int layer, String layerDigest, String path, long size, InputStream content) throws IOException;
  }

  private final String digest;
  private final byte[] config;
  private final List<Layer> layers;
  private final java.io.Closeable resource;
  private final RegistryClient.Manifest requested;

  private ImageFiles(String digest, byte[] config, List<Layer> layers, java.io.Closeable resource,
      RegistryClient.Manifest requested) {
    this.resource = resource;
    this.digest = digest;
    this.config = config;
    this.layers = List.copyOf(layers);
    this.requested = requested;
  }

  /**
   * The manifest (or index) of the reference read from a registry, as the registry served it (its media type and
   * bytes): what an artifact referring to the image names as its subject. Empty for a tar.
   */
  public java.util.Optional<RegistryClient.Manifest> requested() {
    return java.util.Optional.ofNullable(requested);
  }

  /** The manifest digest read (the platform manifest for an index). */
  public String digest() {
    return digest;
  }

  /** The image config JSON. */
  public byte[] config() {
    return config;
  }

  public List<Layer> layers() {
    return layers;
  }

  @Override
  public void close() {
    try {
      if (resource != null) {
        resource.close();
      }
    } catch (IOException ignored) {
      // read-only file
    }
  }

  /** Walks every regular file of every layer in order. */
  public void walk(FileVisitor visitor) {
    for (int i = 0; i < layers.size(); i++) {
      walkLayer(i, visitor);
    }
  }

  /**
   * Walks every regular file of layer {@code index}; returns the {@code sha256:} digest of the layer's bytes as read
   * (compressed or not, as stored), read to the end.
   */
  public String walkLayer(int index, FileVisitor visitor) {
    Layer layer = layers.get(index);
    MessageDigest sha256 = sha256();
    try (InputStream raw = new BufferedInputStream(new DigestInputStream(layer.source().open(), sha256), 65536)) {
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 65536) : raw;
      TarArchiveInputStream tar = new TarArchiveInputStream(in);
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (!e.isFile()) {
          continue;
        }
        String name = e.getName();
        name = name.startsWith("./") ? name.substring(1) : name.startsWith("/") ? name : "/" + name;
        visitor.file(index, layer.digest(), name, e.getSize(), tar);
      }
      raw.transferTo(OutputStream.nullOutputStream()); // the tar's end padding: the digest covers every byte
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read the image layer " + layer.digest() + ": " + e.getMessage(), e);
    }
    return "sha256:" + java.util.HexFormat.of().formatHex(sha256.digest());
  }

  /** Reads the tar written by the {@code image} goal's tar target. */
  public static ImageFiles fromTar(Path file) {
    try {
      TarFile tar = new TarFile(file.toFile());
      Map<String, TarArchiveEntry> entries = new HashMap<>();
      for (TarArchiveEntry e : tar.getEntries()) {
        String n = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
        entries.put(n, e);
      }
      Reader read = name -> {
        TarArchiveEntry e = entries.get(name);
        if (e == null) {
          throw new IOException(name + " is missing");
        }
        try (InputStream in = tar.getInputStream(e)) {
          return in.readAllBytes();
        }
      };
      java.util.function.Function<String, Source> open = name -> () -> {
        TarArchiveEntry e = entries.get(name);
        if (e == null) {
          throw new IOException(name + " is missing");
        }
        return tar.getInputStream(e);
      };
      if (entries.containsKey("manifest.json")) { // Docker format
        JsonNode m = Json.read(new String(read.bytes("manifest.json"), StandardCharsets.UTF_8)).get(0);
        byte[] config = read.bytes(m.get("Config").asString());
        List<Layer> layers = new ArrayList<>();
        for (JsonNode l : m.get("Layers")) {
          String name = l.asString();
          layers.add(new Layer("sha256:" + name.replaceAll("^.*?([0-9a-f]{64}).*$", "$1"), open.apply(name)));
        }
        String id = "sha256:" + java.util.HexFormat.of().formatHex(sha256(config));
        return new ImageFiles(id, config, layers, tar, null);
      }
      JsonNode index = Json.read(new String(read.bytes("index.json"), StandardCharsets.UTF_8));
      JsonNode d = index.get("manifests").get(0);
      while (d.get("mediaType").asString().contains("index") || d.get("mediaType").asString().contains("list")) {
        d = Json.read(new String(read.bytes(blob(d.get("digest").asString())), StandardCharsets.UTF_8))
            .get("manifests").get(0);
      }
      String digest = d.get("digest").asString();
      JsonNode m = Json.read(new String(read.bytes(blob(digest)), StandardCharsets.UTF_8));
      byte[] config = read.bytes(blob(m.get("config").get("digest").asString()));
      List<Layer> layers = new ArrayList<>();
      for (JsonNode l : m.get("layers")) {
        String ld = l.get("digest").asString();
        layers.add(new Layer(ld, open.apply(blob(ld))));
      }
      return new ImageFiles(digest, config, layers, tar, null);
    } catch (IOException | RuntimeException e) {
      throw new EnvironmentError("Cannot read the image tar " + file + " (written by devplugin:image): "
          + e.getMessage() + ". Run devplugin:image again.", e);
    }
  }

  /** Reads an image from a registry by digest or tag (of an index, the amd64 image, else the first). */
  public static ImageFiles fromRegistry(RegistryClient client, String reference) {
    return fromRegistry(client, reference, "amd64");
  }

  /** Reads an image from a registry by digest or tag (of an index, the image of {@code architecture}, else the first). */
  public static ImageFiles fromRegistry(RegistryClient client, String reference, String architecture) {
    RegistryClient.Manifest requested = client.manifest(reference);
    RegistryClient.Manifest m = requested;
    String digest = reference.startsWith("sha256:") ? reference : null;
    JsonNode json = Json.read(new String(m.body(), StandardCharsets.UTF_8));
    while (json.has("manifests")) {
      JsonNode first = json.get("manifests").get(0);
      for (JsonNode candidate : json.get("manifests")) {
        JsonNode p = candidate.get("platform");
        if (p != null && architecture.equals(p.path("architecture").asString(null))) {
          first = candidate;
          break;
        }
      }
      digest = first.get("digest").asString();
      m = client.manifest(digest);
      json = Json.read(new String(m.body(), StandardCharsets.UTF_8));
    }
    if (digest == null) {
      digest = "sha256:" + java.util.HexFormat.of().formatHex(sha256(m.body()));
    }
    byte[] config;
    try (InputStream in = client.blob(json.get("config").get("digest").asString())) {
      config = in.readAllBytes();
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read the image config of " + reference + ": " + e.getMessage(), e);
    }
    List<Layer> layers = new ArrayList<>();
    for (JsonNode l : json.get("layers")) {
      String ld = l.get("digest").asString();
      layers.add(new Layer(ld, () -> client.blob(ld)));
    }
    return new ImageFiles(digest, config, layers, null, requested);
  }

  private interface Reader {
    byte[] bytes(String name) throws IOException;
  }

  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
