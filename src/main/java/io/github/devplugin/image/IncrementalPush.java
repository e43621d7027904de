package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.image.ReproducibleLayerBuilder;
import com.google.common.collect.ImmutableList;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.FileDigests;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Network;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.sbom.Inventory;
import io.github.devplugin.sbom.RegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.JsonNode;

/**
 * The push of an image that differs from the last one pushed only in the content of some application layers (a class
 * changed, a resource, a dependency), without jib-core's build: the changed layers are made by jib-core's own
 * {@link ReproducibleLayerBuilder} and compressed as jib-core's layer cache compresses them, the last push's image
 * configuration and manifest (kept in {@code target/devplugin/image-push.json}) get the new layers' digests in place
 * of the old ones, and the layers, the configuration and the manifest go to the registry. The result is the image,
 * byte for byte, that jib-core builds from the same inputs ({@code ImageBuildTest} builds both and compares their
 * digests), at a fraction of the cost of a fresh JVM loading jib-core's build steps and HTTP stack.
 *
 * <p>It applies only when everything else is as it was: the configuration (base reference, repository, tags,
 * entrypoint, environment, labels, user, build time, devplugin's version), the set of application layers, the
 * registry target with one platform, no proxy, and the base image: the registry must still give the base's tag the
 * digest jib-core used. Anything else, and any refusal by the registry (a layer of the last push deleted since, say),
 * leaves the build to jib-core.
 */
final class IncrementalPush {
  /** The format of {@code image-push.json}. */
  static final int FORMAT = 1;
  /** Changed layers up to this size together are pushed from memory; larger changes go through jib-core. */
  static final long MAX_CHANGED_BYTES = 64L << 20;
  private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  private IncrementalPush() {}

  /**
   * {@code target/devplugin/stamps/image.push}: a few lines of text, read without a JSON library (the first build
   * step of an incremental push, which must not wait for Jackson to load).
   */
  static Path file(Path devpluginDirectory) {
    return devpluginDirectory.resolve("stamps").resolve("image.push");
  }

  /**
   * One application layer of the last push: its name, its content's fingerprint, its descriptor, and whether it holds
   * nothing the SBOM's inventory reads ({@link Inventory#readsPath}).
   */
  record Layer(String name, String content, String digest, String diffId, long size, boolean neutral) {}

  /**
   * What the last push left for the next: the fingerprint of everything but the layers' content, the manifest (its
   * digest, media type and text, and its configuration descriptor) and configuration as pushed, the base's digest,
   * the application layers (those with files, as jib-core pushes them: the last ones of the manifest), and the digest
   * of the SBOM written for the image ({@code -} for none).
   */
  record State(String stable, String digest, String manifestType, String manifest, String configDigest,
      long configSize, String config, String baseDigest, List<Layer> layers, String sbom) {
    State withSbom(String sbomDigest) {
      return new State(stable, digest, manifestType, manifest, configDigest, configSize, config, baseDigest, layers,
          sbomDigest == null ? "-" : sbomDigest);
    }

    String text() {
      Base64.Encoder b64 = Base64.getEncoder();
      StringBuilder t = new StringBuilder("format " + FORMAT + "\nstable " + stable + "\ndigest " + digest
          + "\nmanifestType " + manifestType + "\nconfigDigest " + configDigest + "\nconfigSize " + configSize
          + "\nbaseDigest " + baseDigest + "\nsbom " + sbom + "\n");
      for (Layer l : layers) {
        t.append("layer ").append(String.join("\t", b64.encodeToString(l.name().getBytes(StandardCharsets.UTF_8)),
            l.content(), l.digest(), l.diffId(), String.valueOf(l.size()), String.valueOf(l.neutral())))
            .append('\n');
      }
      t.append("manifest ").append(b64.encodeToString(manifest.getBytes(StandardCharsets.UTF_8))).append('\n');
      t.append("config ").append(b64.encodeToString(config.getBytes(StandardCharsets.UTF_8))).append('\n');
      return t.toString();
    }

    static State parse(String text) {
      Map<String, String> v = new java.util.HashMap<>();
      List<Layer> layers = new ArrayList<>();
      Base64.Decoder b64 = Base64.getDecoder();
      for (String line : text.split("\n")) {
        int space = line.indexOf(' ');
        if (space < 0) {
          continue;
        }
        String key = line.substring(0, space);
        String value = line.substring(space + 1);
        if (key.equals("layer")) {
          String[] f = value.split("\t");
          layers.add(new Layer(new String(b64.decode(f[0]), StandardCharsets.UTF_8), f[1], f[2], f[3],
              Long.parseLong(f[4]), Boolean.parseBoolean(f[5])));
        } else if (key.equals("manifest") || key.equals("config")) {
          v.put(key, new String(b64.decode(value), StandardCharsets.UTF_8));
        } else {
          v.put(key, value);
        }
      }
      if (!String.valueOf(FORMAT).equals(v.get("format"))) {
        throw new IllegalArgumentException("format " + v.get("format"));
      }
      return new State(required(v, "stable"), required(v, "digest"), required(v, "manifestType"),
          required(v, "manifest"), required(v, "configDigest"), Long.parseLong(required(v, "configSize")),
          required(v, "config"), required(v, "baseDigest"), List.copyOf(layers), required(v, "sbom"));
    }

    private static String required(Map<String, String> v, String key) {
      String value = v.get(key);
      if (value == null) {
        throw new IllegalArgumentException("no " + key);
      }
      return value;
    }
  }

  /** True when the plan's build may be pushed incrementally at all (and its pushes recorded for that). */
  static boolean applies(ImagePlan plan, Network network) {
    return plan.settings().target() == ImageSettings.Target.REGISTRY && plan.platforms().size() == 1
        && plan.base() instanceof BaseImage.Registry && network.proxies().isEmpty() && !network.offline();
  }

  /** The layers as jib-core gets them: with the build time on every file and parent when one is set. */
  static List<FileEntriesLayer> layers(ImagePlan plan, ImageBuilder.Output output) throws IOException {
    if (output.buildTime() == null) {
      return plan.layers();
    }
    Files.createDirectories(output.workDirectory());
    return ImageBuilder.withFileTime(plan.layers(), output.buildTime(), output.workDirectory());
  }

  /** Everything the image is made of but the content of its application layers. */
  static String stable(EffectiveConfig config, ImagePlan plan, Instant buildTime) {
    Fingerprint f = Fingerprint.start().add("format", FORMAT).add("time", String.valueOf(buildTime))
        .add("devplugin", ImageBuilder.version()).add("env", config.environment()).add("settings", plan.settings())
        .add("base", plan.base().toString()).add("repository", plan.repository()).add("tags", plan.tags())
        .add("entrypoint", plan.entrypoint()).add("environment", plan.environment()).add("ports", plan.portNames())
        .add("labels", plan.labels()).add("user", plan.user()).add("workdir", plan.workingDirectory())
        // the SBOM's timestamp: an SBOM is carried over to the next image only when it would be written the same
        .add("outputTimestamp", config.project().properties().get("project.build.outputTimestamp"));
    for (FileEntriesLayer layer : plan.layers()) {
      f.add("layer", layer.getName()).add("files", !layer.getEntries().isEmpty());
    }
    return f.hex();
  }

  /** The content of a layer: every entry's path, mode, owner, time and file content. */
  static String content(FileEntriesLayer layer, FileDigests digests) {
    Fingerprint f = Fingerprint.start().withDigests(digests);
    for (FileEntry e : layer.getEntries()) {
      f.add("path", e.getExtractionPath()).add("mode", e.getPermissions().toOctalString())
          .add("owner", e.getOwnership()).add("time", String.valueOf(e.getModificationTime()));
      if (Files.isRegularFile(e.getSourceFile())) {
        f.addFile("file", e.getSourceFile());
      } else {
        f.add("type", Files.isDirectory(e.getSourceFile()) ? "directory" : "other");
      }
    }
    return f.hex();
  }

  /** True when no entry of the layer is a file the SBOM's inventory reads. */
  static boolean neutral(FileEntriesLayer layer) {
    return layer.getEntries().stream().noneMatch(e -> Inventory.readsPath(e.getExtractionPath().toString()));
  }

  static Optional<State> read(Path devpluginDirectory) {
    Path file = file(devpluginDirectory);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(State.parse(Files.readString(file)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static void forget(Path devpluginDirectory) {
    try {
      Files.deleteIfExists(file(devpluginDirectory));
    } catch (IOException e) {
      // read() refuses a state whose digest is not the record's
    }
  }

  /** A layer built here: its compressed bytes and both digests. */
  record Built(byte[] bytes, String digest, String diffId) {}

  /**
   * Builds a layer as jib-core does for its application layer cache: {@link ReproducibleLayerBuilder}'s tar through
   * a default {@link GZIPOutputStream}.
   */
  static Built build(FileEntriesLayer layer) throws IOException {
    Blob tar = new ReproducibleLayerBuilder(ImmutableList.copyOf(layer.getEntries())).build();
    MessageDigest compressed = sha256();
    MessageDigest uncompressed = sha256();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gzip = new GZIPOutputStream(new DigestOutputStream(bytes, compressed));
        OutputStream out = new DigestOutputStream(gzip, uncompressed)) {
      tar.writeTo(out);
    }
    return new Built(bytes.toByteArray(), hex(compressed), hex(uncompressed));
  }

  /**
   * After jib-core pushed {@code record}: keeps its manifest and configuration (as the SBOM read them back) with the
   * layers' content for the next build. Nothing is kept (and the last state is dropped) when the image is not one this
   * class can push again: an index, layers that do not match the plan's, or a base digest jib-core did not say.
   *
   * @param sbom the digest of the SBOM written for the image, or null
   */
  static void remember(Path devpluginDirectory, String stable, List<FileEntriesLayer> layers, ImageRecord record,
      String baseDigest, RegistryClient.Manifest manifest, byte[] config, String sbom, FileDigests digests,
      BuildLog log) {
    forget(devpluginDirectory);
    if (baseDigest == null || manifest == null || config == null) {
      log.debug("No incremental push next time: " + (baseDigest == null ? "jib-core did not say which base image"
          + " digest it used." : "the pushed image was not read back."));
      return;
    }
    try {
      String type = manifest.mediaType().split(";")[0].strip();
      Optional<State> state = state(stable, record.digest(), type, manifest.body(), config, baseDigest, layers,
          digests);
      if (state.isEmpty()) {
        log.debug("No incremental push next time: the pushed image's layers are not the plan's as expected.");
        return;
      }
      save(devpluginDirectory, state.get().withSbom(sbom));
    } catch (RuntimeException e) {
      log.debug("No incremental push next time: " + e.getMessage());
    }
  }

  /**
   * The state of a pushed image, checked: the manifest is a single image's (Docker or OCI), the configuration's
   * digest is the manifest's, the application layers are the manifest's last and are named in the configuration's
   * history, and every descriptor that a later push replaces occurs exactly once, so that a replacement is exact.
   */
  static Optional<State> state(String stable, String digest, String type, byte[] manifestBytes, byte[] config,
      String baseDigest, List<FileEntriesLayer> layers, FileDigests digests) {
    if (!type.equals(DOCKER_MANIFEST) && !type.equals(ImageSbom.OCI_MANIFEST)
        || !digest.equals(ImageSbom.digest(manifestBytes))) {
      return Optional.empty();
    }
    String manifestText = new String(manifestBytes, StandardCharsets.UTF_8);
    String configText = new String(config, StandardCharsets.UTF_8);
    JsonNode manifest = Json.read(manifestText);
    JsonNode configJson = Json.read(configText);
    if (!manifest.path("config").path("digest").asString("").equals(ImageSbom.digest(config))
        || once(manifestText, descriptor(manifest.path("config"))) < 0) {
      return Optional.empty();
    }
    List<FileEntriesLayer> withFiles = layers.stream().filter(l -> !l.getEntries().isEmpty()).toList();
    JsonNode mLayers = manifest.path("layers");
    JsonNode diffIds = configJson.path("rootfs").path("diff_ids");
    List<String> comments = new ArrayList<>();
    for (JsonNode h : configJson.path("history")) {
      if (!h.path("empty_layer").asBoolean(false)) {
        comments.add(h.path("comment").asString(""));
      }
    }
    int n = withFiles.size();
    if (mLayers.size() != diffIds.size() || comments.size() != diffIds.size() || mLayers.size() < n) {
      return Optional.empty();
    }
    List<Layer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int at = mLayers.size() - n + i;
      JsonNode d = mLayers.get(at);
      String diffId = diffIds.get(at).asString("");
      if (!comments.get(at).equals(withFiles.get(i).getName()) || once(manifestText, descriptor(d)) < 0
          || once(configText, "\"" + diffId + "\"") < 0) {
        return Optional.empty();
      }
      out.add(new Layer(withFiles.get(i).getName(), content(withFiles.get(i), digests), d.path("digest").asString(),
          diffId, d.path("size").asLong(), neutral(withFiles.get(i))));
    }
    return Optional.of(new State(stable, digest, type, manifestText, manifest.path("config").path("digest").asString(),
        manifest.path("config").path("size").asLong(), configText, baseDigest, out, "-"));
  }

  /** The text of a descriptor's digest and size as jib-core writes them. */
  private static String descriptor(JsonNode d) {
    return descriptor(d.path("digest").asString(""), d.path("size").asLong(-1));
  }

  private static String descriptor(String digest, long size) {
    return "\"digest\":\"" + digest + "\",\"size\":" + size;
  }

  /** Where {@code part} occurs in {@code text} when it occurs exactly once, else -1. */
  private static int once(String text, String part) {
    int at = text.indexOf(part);
    return at >= 0 && text.indexOf(part, at + 1) < 0 ? at : -1;
  }

  private static String replaceOnce(String text, String old, String now) {
    int at = once(text, old);
    if (at < 0) {
      throw new IllegalStateException("the last push's JSON does not hold " + old + " exactly once");
    }
    return text.substring(0, at) + now + text.substring(at + old.length());
  }

  /** What a push needs besides the plan. */
  record Context(EffectiveConfig config, Secrets secrets, Map<String, String> environment, BuildLog log,
      FileDigests digests) {}

  /** Writes the state for the next build. */
  static void save(Path devpluginDirectory, State state) {
    Outputs.writeIfChanged(file(devpluginDirectory), state.text());
  }

  /**
   * An incremental push: the image, its manifest as pushed (the SBOM's subject), the state to {@link #save} once
   * the SBOM is written, the last push's state, and whether every changed layer, before and after, holds nothing the
   * SBOM's inventory reads.
   */
  record Pushed(ImageRecord record, RegistryClient.Manifest manifest, State state, State last, boolean neutral) {}

  /**
   * Pushes the plan's image incrementally when it differs from the last push ({@code previous}, as
   * {@code image.json} records it) only in the content of application layers; empty when it does not apply or the
   * registry refused (jib-core then builds it).
   */
  static Optional<Pushed> push(ImagePlan plan, List<FileEntriesLayer> layers, String stable,
      ImageRecord previous, Context c) {
    Path dir = c.config().project().devpluginDirectory();
    Optional<State> last = read(dir);
    if (last.isEmpty() || !last.get().stable().equals(stable) || !last.get().digest().equals(previous.digest())
        || !previous.image().equals(plan.repository())) {
      c.log().debug("No incremental push: " + (last.isEmpty() ? "no state of a last push (" + file(dir) + ")"
          : "the configuration or the last image is not the one of " + file(dir)) + ".");
      return Optional.empty();
    }
    State state = last.get();
    List<FileEntriesLayer> withFiles = layers.stream().filter(l -> !l.getEntries().isEmpty()).toList();
    if (withFiles.size() != state.layers().size()) {
      c.log().debug("No incremental push: the image's layers are not the last push's.");
      return Optional.empty();
    }
    List<Integer> changed = new ArrayList<>();
    List<String> contents = new ArrayList<>();
    for (int i = 0; i < withFiles.size(); i++) {
      if (!withFiles.get(i).getName().equals(state.layers().get(i).name())) {
        return Optional.empty();
      }
      contents.add(content(withFiles.get(i), c.digests()));
      if (!contents.get(i).equals(state.layers().get(i).content())) {
        changed.add(i);
      }
    }
    if (changed.isEmpty()) {
      return Optional.empty();
    }
    ImageSettings s = plan.settings();
    BuildLog log = c.log();
    try {
      ImageReference base = ((BaseImage.Registry) plan.base()).reference();
      RegistryClient client = ImageSbom.client(plan.repository(), s, c.secrets(), c.environment(), log);
      RegistryClient baseClient = base.getDigest().isPresent() ? null
          : ImageSbom.client(base, s.fromServerId(), "<image><fromServerId>", s, c.secrets(), c.environment(), log);
      if (!JibSystemProperties.sendCredentialsOverHttp() && (client.hasCredentialsOverPlainHttp()
          || baseClient != null && baseClient.hasCredentialsOverPlainHttp())) {
        // jib-core sends credentials over plain HTTP only when asked; so does this push (jib-core then says how)
        log.debug("No incremental push: credentials would go over plain HTTP without -DsendCredentialsOverHttp=true.");
        return Optional.empty();
      }
      Optional<String> baseDigest = baseClient == null ? base.getDigest()
          : baseClient.manifestDigest(base.getQualifier());
      if (!baseDigest.equals(Optional.of(state.baseDigest()))) {
        log.info("The base image " + base + " is now " + baseDigest.orElse("not found") + " (the last build used "
            + state.baseDigest() + "): the image is built in full.");
        return Optional.empty();
      }
      String config = state.config();
      String manifest = state.manifest();
      List<Layer> now = new ArrayList<>(state.layers());
      List<Built> built = new ArrayList<>();
      List<String> names = new ArrayList<>();
      boolean neutral = true;
      long bytes = 0;
      for (int i : changed) {
        Built b = build(withFiles.get(i));
        bytes += b.bytes().length;
        if (bytes > MAX_CHANGED_BYTES) {
          log.info("The changed layers are over " + (MAX_CHANGED_BYTES >> 20) + " MiB compressed: the image is built"
              + " in full (the incremental push holds the changed layers in memory; jib-core streams them).");
          return Optional.empty();
        }
        Layer old = state.layers().get(i);
        config = replaceOnce(config, "\"" + old.diffId() + "\"", "\"" + b.diffId() + "\"");
        manifest = replaceOnce(manifest, descriptor(old.digest(), old.size()),
            descriptor(b.digest(), b.bytes().length));
        boolean isNeutral = neutral(withFiles.get(i));
        neutral &= old.neutral() && isNeutral;
        now.set(i, new Layer(old.name(), contents.get(i), b.digest(), b.diffId(), b.bytes().length, isNeutral));
        built.add(b);
        names.add(old.name());
      }
      byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
      String configDigest = ImageSbom.digest(configBytes);
      manifest = replaceOnce(manifest, descriptor(state.configDigest(), state.configSize()),
          descriptor(configDigest, configBytes.length));
      byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
      String digest = ImageSbom.digest(manifestBytes);

      for (Built b : built) {
        client.pushBlob(b.digest(), b.bytes());
      }
      client.pushBlob(configDigest, configBytes);
      for (String tag : plan.tags()) {
        client.pushManifest(tag, state.manifestType(), manifestBytes);
      }
      log.info("Pushed " + plan.repository() + " with tags " + String.join(", ", plan.tags()) + ": " + digest
          + " (incrementally: only the " + String.join(", ", names) + " layer" + (names.size() == 1 ? "" : "s")
          + " changed since " + state.digest() + "; pushed " + (names.size() == 1 ? "it" : "them") + ", the image"
          + " configuration and the manifest, and left the base and the other layers to the registry, which has"
          + " them).");
      ImageRecord record = new ImageRecord(plan.repository(), plan.tags(), digest, configDigest,
          plan.repository() + "@" + digest, "registry", null, s.platforms());
      return Optional.of(new Pushed(record, new RegistryClient.Manifest(state.manifestType(), manifestBytes),
          new State(stable, digest, state.manifestType(), manifest, configDigest, configBytes.length, config,
              state.baseDigest(), now, "-"), state, neutral));
    } catch (IOException | RuntimeException e) {
      forget(dir);
      log.info("The incremental push of " + plan.primaryReference() + " did not go through (" + e.getMessage()
          + "): the image is built in full.");
      return Optional.empty();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(MessageDigest d) {
    return "sha256:" + HexFormat.of().formatHex(d.digest());
  }
}
