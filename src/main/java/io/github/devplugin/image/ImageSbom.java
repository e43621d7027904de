package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.JsonText;
import io.github.devplugin.core.Network;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.sbom.ImageFiles;
import io.github.devplugin.sbom.Inventory;
import io.github.devplugin.sbom.LayerInventoryCache;
import io.github.devplugin.sbom.RegistryClient;
import io.github.devplugin.sbom.SbomWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The SBOM of every image build: reads the image back from where {@code image} put it (the registry or the tar; not
 * the plan, so the base's layers are in it too), writes {@code target/devplugin/sbom.cdx.json} and, for a registry,
 * attaches it to the image as an OCI artifact: an image manifest with {@code artifactType
 * application/vnd.cyclonedx+json} and the image as {@code subject}, tagged {@code sha256-<digest>.sbom} (cosign's
 * attached-SBOM tag) and listed in the OCI 1.1 referrers tag {@code sha256-<digest>} (the fallback that
 * {@code oras discover} reads from registries without the referrers API). The engine target has no SBOM.
 */
public final class ImageSbom {
  /** {@code target/devplugin/sbom.cdx.json}. */
  public static Path file(Path devpluginDirectory) {
    return devpluginDirectory.resolve("sbom.cdx.json");
  }

  static final String EMPTY_TYPE = "application/vnd.oci.empty.v1+json";
  static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private ImageSbom() {}

  /**
   * What {@link #prepare} started while jib builds and pushes (which mostly waits on I/O): the SBOM waits for it
   * before it reads the image back, and then finds the libraries loaded and the base's layers in the cache.
   */
  static final class Preparation {
    /** Nothing prepared (the SBOM does all its work itself). */
    static final Preparation NONE = new Preparation(null, null, null, null);

    private final Thread thread;
    private final LayerInventoryCache cache;
    private final String what;
    private final BuildLog log;

    private Preparation(Thread thread, LayerInventoryCache cache, String what, BuildLog log) {
      this.thread = thread;
      this.cache = cache;
      this.what = what;
      this.log = log;
    }

    /** The layer cache the preparation filled (the same instance, so that no entry is read twice), or a new one. */
    LayerInventoryCache cache(Path cacheRoot, BuildLog log) {
      return cache != null ? cache : LayerInventoryCache.in(cacheRoot, log);
    }

    /**
     * Waits until the preparation is done (it never fails: a failure leaves the work to the SBOM), saying on what
     * when it is still running.
     */
    void await() {
      if (thread == null) {
        return;
      }
      if (thread.isAlive()) {
        log.info("Waiting for the SBOM's preparation (" + what + ") to finish before reading the image back.");
      }
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EnvironmentError("Interrupted while waiting for the SBOM's preparation.", e);
      }
    }
  }

  /**
   * Starts, on a daemon thread, what the SBOM's first use costs in a fresh JVM and what jib's build does not do: the
   * registry client's HTTP client, the inventory of the base image's layers that {@link LayerInventoryCache} does not
   * hold yet (a registry base, read from its registry: the pushed image shares those layers, and jib, which mounts
   * them from the base's repository, never downloads them), and cyclonedx-core-java's generator with Jackson's data
   * binding (an empty SBOM is written and dropped). The base is read only for the registry target (a tar holds the
   * base's layers, read locally), without proxies (their system properties are set only while jib or the SBOM run),
   * and for the platform built when there is one.
   */
  static Preparation prepare(ImagePlan plan, Secrets secrets, Path cacheRoot, Map<String, String> environment,
      Network network, BuildLog log) {
    LayerInventoryCache cache = LayerInventoryCache.in(cacheRoot, log);
    RegistryClient baseClient = null;
    String baseReference = null;
    if (plan.base() instanceof BaseImage.Registry base && plan.settings().target() == ImageSettings.Target.REGISTRY
        && network.proxies().isEmpty() && !network.offline()) {
      ImageReference ref = base.reference();
      try {
        // in this thread: the credentials' lookup masks secrets, which is not meant for two threads
        baseClient = client(ref, plan.settings().fromServerId(), "<image><fromServerId>", plan.settings(), secrets,
            environment, log);
        baseReference = ref.getQualifier();
      } catch (RuntimeException e) {
        log.debug("The SBOM does not read the base image ahead of the build (" + e.getMessage() + ").");
      }
    }
    String architecture = plan.platforms().size() == 1 ? plan.platforms().get(0).getArchitecture() : "amd64";
    RegistryClient client = baseClient;
    String reference = baseReference;
    Thread t = new Thread(() -> {
      try {
        RegistryClient.initialise();
        if (client != null) {
          try (ImageFiles image = ImageFiles.fromRegistry(client, reference, architecture)) {
            Inventory.cacheLayers(image, cache);
          }
        }
      } catch (RuntimeException e) {
        log.debug("Reading the base image's layers ahead of the build failed (" + e.getMessage() + "); the SBOM"
            + " reads the image's layers itself.");
      }
      try {
        Json.write(Map.of("prepare", List.of(1))); // Jackson's data binding: the attached manifests, image.json
        SbomWriter.write(new Inventory(List.of(), List.of(), null, List.of(), List.of()), new SbomWriter.Subject(
            "devplugin/prepare", "sha256:" + "0".repeat(64), List.of()), Instant.EPOCH, "0");
      } catch (RuntimeException | LinkageError e) {
        log.debug("Preparing the SBOM's libraries ahead of the build failed (" + e + "); the SBOM loads them itself.");
      }
    }, "devplugin-sbom-prepare");
    t.setDaemon(true);
    t.start();
    return new Preparation(t, cache, client == null ? "loading the SBOM's libraries"
        : "reading the layers of the base image " + base(plan) + " that devplugin's layer cache lacks", log);
  }

  private static String base(ImagePlan plan) {
    return plan.base() instanceof BaseImage.Registry r ? r.reference().toString() : String.valueOf(plan.base());
  }

  /**
   * Writes (and for a registry attaches) the SBOM of the image in {@code record}; returns the file or empty.
   *
   * @param cacheRoot devplugin's user cache: the layers' inventories ({@link LayerInventoryCache}), so that only the
   *     layers never read before are fetched and read
   */
  public static Optional<Path> run(EffectiveConfig config, ImageRecord record, Secrets secrets, BuildLog log,
      Path cacheRoot, Map<String, String> environment) {
    return run(config, record, secrets, log, cacheRoot, environment, Preparation.NONE).map(Written::file);
  }

  /**
   * The SBOM written, and for a registry the image's manifest (or index) and configuration as read back for it
   * (null for a tar).
   */
  record Written(Path file, RegistryClient.Manifest manifest, byte[] config) {}

  /** As {@link #run(EffectiveConfig, ImageRecord, Secrets, BuildLog, Path, Map)}, after {@code prepared}. */
  static Optional<Written> run(EffectiveConfig config, ImageRecord record, Secrets secrets, BuildLog log,
      Path cacheRoot, Map<String, String> environment, Preparation prepared) {
    ImageSettings s = config.image();
    Path file = file(config.project().devpluginDirectory());
    Instant timestamp = outputTimestamp(config.project().properties().get("project.build.outputTimestamp"));
    switch (record.target()) {
      case "tar" -> {
        prepared.await();
        try (ImageFiles image = ImageFiles.fromTar(Path.of(record.tarFile()))) {
          write(file, image, record, timestamp, prepared.cache(cacheRoot, log), log);
        }
        return Optional.of(new Written(file, null, null));
      }
      case "registry" -> {
        RegistryClient client = client(record.image(), s, secrets, environment, log);
        prepared.await();
        String json;
        RegistryClient.Manifest subject;
        byte[] imageConfig;
        try (ImageFiles image = ImageFiles.fromRegistry(client, record.digest())) {
          subject = image.requested().orElseThrow();
          imageConfig = image.config();
          json = write(file, image, record, timestamp, prepared.cache(cacheRoot, log), log);
        }
        attach(client, record.digest(), subject, json.getBytes(StandardCharsets.UTF_8), timestamp, log);
        return Optional.of(new Written(file, subject, imageConfig));
      }
      default -> {
        log.info("No SBOM for the engine target: devplugin reads SBOMs from a registry or a tar. Push the image"
            + " (<image><target>registry</target>) or write a tar for one.");
        return Optional.empty();
      }
    }
  }

  /**
   * The SBOM of an image pushed incrementally ({@link IncrementalPush}) whose changed layers hold nothing the
   * inventory reads ({@code neutral}): its inventory is the last image's, so its SBOM is the last one with the image's
   * digest in place of the last digest and the serial number derived anew, exactly what {@link SbomWriter} writes for
   * it ({@code ImageBuildTest} compares the two). Nothing is read back from the registry. When the last SBOM is not
   * there as it was written ({@code lastSbom}, its digest), or a layer changed that the inventory reads, the SBOM is
   * made in full ({@link #run}).
   *
   * @param manifest the image's manifest as pushed, the SBOM's subject
   * @return the digest of the SBOM written, or null when there is none
   */
  static String runIncremental(EffectiveConfig config, ImageRecord record, RegistryClient.Manifest manifest,
      String lastDigest, String lastSbom, boolean neutral, Secrets secrets, BuildLog log, Path cacheRoot,
      Map<String, String> environment) {
    Path file = file(config.project().devpluginDirectory());
    Optional<String> json = Optional.empty();
    if (neutral && lastSbom != null && java.nio.file.Files.isRegularFile(file)) {
      try {
        byte[] last = java.nio.file.Files.readAllBytes(file);
        if (digest(last).equals(lastSbom)) {
          json = readdressed(new String(last, StandardCharsets.UTF_8), lastDigest, record.digest());
        }
      } catch (java.io.IOException e) {
        log.debug("The last SBOM cannot be read (" + e.getMessage() + "): the SBOM is made in full.");
      }
    }
    if (json.isEmpty()) {
      run(config, record, secrets, log, cacheRoot, environment, Preparation.NONE);
      return writtenDigest(config.project().devpluginDirectory());
    }
    Instant timestamp = outputTimestamp(config.project().properties().get("project.build.outputTimestamp"));
    Outputs.writeIfChanged(file, json.get());
    log.info("Wrote " + file.getFileName() + " (CycloneDX 1.6): the components of the last build's SBOM, for the"
        + " image " + record.digest() + " (no layer with a jar, an OS package database or a Java runtime changed).");
    byte[] bytes = json.get().getBytes(StandardCharsets.UTF_8);
    attach(client(record.image(), config.image(), secrets, environment, log), record.digest(), manifest, bytes,
        timestamp, log);
    return digest(bytes);
  }

  /** The digest of the SBOM file in {@code devpluginDirectory}, or null when there is none to read. */
  static String writtenDigest(Path devpluginDirectory) {
    Path file = file(devpluginDirectory);
    try {
      return java.nio.file.Files.isRegularFile(file) ? digest(java.nio.file.Files.readAllBytes(file)) : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static final java.util.regex.Pattern SERIAL = java.util.regex.Pattern.compile(
      "\"serialNumber\" : \"urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\"");
  private static final String ZERO_SERIAL = "00000000-0000-0000-0000-000000000000";

  /**
   * {@code sbom}, written by {@link SbomWriter} for the image {@code lastDigest}, for the image {@code digest} with
   * the same inventory: the digest's hex replaced everywhere (version, purl, bom-ref, hash), and the serial number
   * derived as {@link SbomWriter} derives it (a name-based UUID of the SHA-256 of the document with a zero serial).
   * Empty when the text is not one {@link SbomWriter} wrote for {@code lastDigest}.
   */
  static Optional<String> readdressed(String sbom, String lastDigest, String digest) {
    java.util.regex.Matcher m = SERIAL.matcher(sbom);
    String lastHex = lastDigest.substring("sha256:".length());
    String hex = digest.substring("sha256:".length());
    if (!m.find() || !sbom.endsWith("\n") || !sbom.contains("\"" + lastDigest + "\"") || lastHex.length() != 64
        || hex.length() != 64) {
      return Optional.empty();
    }
    int at = m.start(1);
    String draft = (sbom.substring(0, at) + ZERO_SERIAL + sbom.substring(m.end(1))).replace(lastHex, hex);
    byte[] hash = JlinkBase.sha256(draft.substring(0, draft.length() - 1).getBytes(StandardCharsets.UTF_8));
    String serial = java.util.UUID.nameUUIDFromBytes(HexFormat.of().formatHex(hash).getBytes(
        StandardCharsets.US_ASCII)).toString();
    return Optional.of(draft.substring(0, at) + serial + draft.substring(at + ZERO_SERIAL.length()));
  }

  private static String write(Path file, ImageFiles image, ImageRecord record, Instant timestamp,
      LayerInventoryCache cache, BuildLog log) {
    Inventory inventory = Inventory.of(image, cache);
    String json = SbomWriter.write(inventory, new SbomWriter.Subject(record.image(), record.digest(),
        record.tags()), timestamp, ImageBuilder.version());
    Outputs.writeIfChanged(file, json);
    inventory.notes().forEach(log::warn);
    log.info("Wrote " + file.getFileName() + " (CycloneDX 1.6): " + inventory.jars().size() + " jars, "
        + inventory.packages().size() + " OS packages" + (inventory.os() == null ? "" : " of "
        + inventory.os().id() + " " + inventory.os().versionId()) + ", " + inventory.runtimes().size()
        + " Java runtime(s).");
    return json;
  }

  /**
   * A client for the image's repository, with the target registry's plain-HTTP setting and credentials found as the
   * image goal finds them ({@link RegistryCredentials}).
   */
  public static RegistryClient client(String repository, ImageSettings s, Secrets secrets,
      Map<String, String> environment, BuildLog log) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(repository);
    } catch (InvalidImageReferenceException e) {
      throw new EnvironmentError("image.json names the image " + repository + ", which is not a reference.", e);
    }
    return client(ref, s.serverId(), "<image><serverId>", s, secrets, environment, log);
  }

  /**
   * A client for {@code ref}'s repository with the credentials of the settings.xml server {@code serverId} (named by
   * {@code serverElement}), else of the registry's host name, else of jib-core's retrievers.
   */
  static RegistryClient client(ImageReference ref, String serverId, String serverElement, ImageSettings s,
      Secrets secrets, Map<String, String> environment, BuildLog log) {
    String registry = ref.getRegistry();
    boolean insecure = s.allowsInsecure(RegistryCheck.isLoopback(registry));
    Optional<RegistryCredentials.Login> login = RegistryCredentials.settingsServer(secrets, serverId,
        serverElement, registry);
    if (login.isPresent()) {
      return new RegistryClient(registry, ref.getRepository(), insecure, login.get().username(),
          login.get().password());
    }
    for (CredentialRetriever r : RegistryCredentials.retrievers(ref, s.credHelper(), environment, log)) {
      try {
        Optional<Credential> c = r.retrieve();
        if (c.isPresent()) {
          return new RegistryClient(registry, ref.getRepository(), insecure, c.get().getUsername(),
              c.get().getPassword());
        }
      } catch (CredentialRetrievalException e) {
        log.debug("No credentials for " + registry + " from a credential retriever: " + e.getMessage());
      }
    }
    return new RegistryClient(registry, ref.getRepository(), insecure, null, null);
  }

  /** The cosign tag of an image's attached SBOM. */
  public static String sbomTag(String digest) {
    return digest.replace(':', '-') + ".sbom";
  }

  /** @param subject the image's manifest (or index) as the registry serves it under {@code digest} */
  static void attach(RegistryClient client, String digest, RegistryClient.Manifest subject, byte[] sbom,
      Instant timestamp, BuildLog log) {
    String sbomDigest = digest(sbom);
    client.pushBlob(digest(EMPTY), EMPTY);
    client.pushBlob(sbomDigest, sbom);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", OCI_MANIFEST);
    manifest.put("artifactType", SbomWriter.MEDIA_TYPE);
    manifest.put("config", descriptor(EMPTY_TYPE, digest(EMPTY), EMPTY.length, null));
    manifest.put("layers", List.of(descriptor(SbomWriter.MEDIA_TYPE, sbomDigest, sbom.length,
        Map.of("org.opencontainers.image.title", "sbom.cdx.json"))));
    manifest.put("subject", descriptor(subject.mediaType(), digest, subject.body().length, null));
    manifest.put("annotations", Map.of("org.opencontainers.image.created", timestamp.toString()));
    byte[] body = JsonText.write(manifest).getBytes(StandardCharsets.UTF_8);
    String manifestDigest = digest(body);
    String tag = sbomTag(digest);
    client.pushManifest(tag, OCI_MANIFEST, body);
    // the referrers tag schema (OCI distribution 1.1): an index at sha256-<hex> listing the image's referrers
    String referrersTag = digest.replace(':', '-');
    List<Object> referrers = new ArrayList<>();
    if (client.hasManifest(referrersTag)) {
      JsonNode existing = Json.read(new String(client.manifest(referrersTag).body(), StandardCharsets.UTF_8));
      for (JsonNode d : existing.path("manifests")) {
        if (!d.path("digest").asString("").equals(manifestDigest)
            && !SbomWriter.MEDIA_TYPE.equals(d.path("artifactType").asString(""))) {
          referrers.add(Json.mapper().convertValue(d, Map.class));
        }
      }
    }
    Map<String, Object> referrer = descriptor(OCI_MANIFEST, manifestDigest, body.length, null);
    referrer.put("artifactType", SbomWriter.MEDIA_TYPE);
    referrers.add(referrer);
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", OciIndexTar.INDEX_MEDIA_TYPE);
    index.put("manifests", referrers);
    client.pushManifest(referrersTag, OciIndexTar.INDEX_MEDIA_TYPE, JsonText.write(index).getBytes(
        StandardCharsets.UTF_8));
    log.info("Attached the SBOM to the image: " + tag + " (" + manifestDigest + "), listed in the referrers tag "
        + referrersTag + ".");
  }

  private static Map<String, Object> descriptor(String mediaType, String digest, long size,
      Map<String, String> annotations) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mediaType", mediaType);
    d.put("digest", digest);
    d.put("size", size);
    if (annotations != null) {
      d.put("annotations", annotations);
    }
    return d;
  }

  static String digest(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(JlinkBase.sha256(bytes));
  }

  /**
   * The build's output timestamp as Maven reads {@code project.build.outputTimestamp} (ISO 8601 or seconds since the
   * epoch); the epoch when it is unset or disabled (a single character).
   */
  static Instant outputTimestamp(String value) {
    if (value == null || value.strip().length() <= 1) {
      return Instant.EPOCH;
    }
    String v = value.strip();
    try {
      return v.matches("\\d+") ? Instant.ofEpochSecond(Long.parseLong(v))
          : java.time.OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      return Instant.EPOCH;
    }
  }
}
