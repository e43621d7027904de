package io.github.devplugin.image;

import io.github.devplugin.core.Fingerprint;
import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.PlainHttpContainerizer;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Network;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Builds an {@link ImagePlan} with jib-core: pulls (or links) the base, adds the plan's layers and configuration,
 * and writes the image to a registry, a tar file (Docker, OCI, or an OCI image index for several platforms) or a
 * local engine through the Docker Engine API. Identical plans give identical digests (fixed timestamps, sorted
 * entries).
 */
public final class ImageBuilder {
  private final Secrets secrets;
  private final BuildLog log;
  private final Path cacheRoot;
  private final Map<String, String> environment;
  private final Network network;
  /** Where each registry's credentials came from, for error messages. */
  private final Map<String, String> credentialSources = new java.util.concurrent.ConcurrentHashMap<>();
  /**
   * Registries (with their port) that the probe saw answering over plain HTTP while plain HTTP is allowed: jib-core
   * goes to them over HTTP at once ({@link PlainHttpContainerizer}).
   */
  private final java.util.Set<String> plainHttp = new java.util.TreeSet<>();
  /** The digest of the base image that jib-core said it used, or null. */
  private volatile String baseDigest;

  /**
   * @param secrets resolves settings.xml servers (credentials are masked)
   * @param cacheRoot devplugin's user cache ({@code ~/.cache/devplugin}: the jlink base)
   * @param environment the process environment ({@code DOCKER_HOST})
   */
  public ImageBuilder(Secrets secrets, BuildLog log, Path cacheRoot, Map<String, String> environment) {
    this(secrets, log, cacheRoot, environment, Network.DIRECT);
  }

  /** @param network offline mode and proxies: what may go to the network, and how */
  public ImageBuilder(Secrets secrets, BuildLog log, Path cacheRoot, Map<String, String> environment,
      Network network) {
    this.secrets = secrets;
    this.log = log;
    this.cacheRoot = cacheRoot;
    this.environment = environment;
    this.network = network;
  }

  /**
   * What to write where: the target's output file for tars, the work directory for intermediate files; the build
   * time ({@link io.github.devplugin.core.BuildTime}, null for jib's fixed times).
   */
  public record Output(Path tarFile, Path workDirectory, Path applicationCache, Instant buildTime) {
    public Output(Path tarFile, Path workDirectory, Path applicationCache) {
      this(tarFile, workDirectory, applicationCache, null);
    }
  }

  public ImageRecord build(ImagePlan plan, Output output) {
    ImageSettings s = plan.settings();
    List<String> registries = new ArrayList<>();
    String baseRegistry = null;
    if (plan.base() instanceof BaseImage.Registry r) {
      baseRegistry = r.reference().getRegistry();
      registries.add(baseRegistry);
    }
    String targetRegistry = null;
    if (s.target() == ImageSettings.Target.REGISTRY) {
      targetRegistry = plan.target().getRegistry();
      registries.add(targetRegistry);
    }
    boolean allLoopback = !registries.isEmpty() && registries.stream().allMatch(RegistryCheck::isLoopback);
    boolean insecure = s.allowsInsecure(allLoopback);
    if (insecure && !registries.isEmpty()) {
      log.info("Plain HTTP is allowed for " + String.join(", ", new LinkedHashSet<>(registries)) + " ("
          + (s.insecure() == null ? "loopback addresses" : OverrideProperties.element("image.insecure") + "true")
          + ").");
    }
    String fromSetting = OverrideProperties.setting("image.from", plan.base().toString());
    String toSetting = OverrideProperties.setting("image.to", plan.primaryReference());
    if (network.offline() && targetRegistry != null) {
      throw new UserError("Maven runs offline (-o, or <offline>true</offline> in settings.xml), and the image goes to"
          + " the registry " + targetRegistry + " (" + OverrideProperties.setting("image.target", "registry")
          + "): pushing needs the network. Fix: build without -o, or write a tar offline with "
          + OverrideProperties.setting("image.target", "tar") + ".");
    }
    if (network.offline()) {
      if (baseRegistry != null) {
        log.info("Offline: the base image " + plan.base() + " comes from jib's cache; no registry is contacted.");
      }
    } else {
      if (baseRegistry != null) {
        probe(baseRegistry, insecure, "the base image's registry", fromSetting,
            loopbackOnlyReason(s, baseRegistry, targetRegistry, "the target registry", toSetting));
      }
      if (targetRegistry != null) {
        probe(targetRegistry, insecure, "the target registry", toSetting,
            loopbackOnlyReason(s, targetRegistry, baseRegistry, "the base image's registry", fromSetting));
      }
    }

    List<String> platforms = s.platforms();
    return switch (s.target()) {
      case REGISTRY -> {
        RegistryImage target = registryImage(plan.target(), s.serverId(), "<image><serverId>", s);
        Containerizer c = containerizer(Containerizer.to(target), plan, output, insecure);
        JibContainer result = containerize(builder(plan, output, plan.platforms()), c, plan);
        String digest = result.getDigest().toString();
        log.info("Pushed " + plan.repository() + " with tags " + String.join(", ", plan.tags()) + ": " + digest);
        yield new ImageRecord(plan.repository(), plan.tags(), digest, result.getImageId().toString(),
            plan.repository() + "@" + digest, "registry", null, platforms);
      }
      case TAR -> buildTar(plan, output, insecure);
      case ENGINE -> buildEngine(plan, output, insecure);
    };
  }

  /** The registry probe, or, when a settings.xml proxy carries the registry's traffic, a probe of the proxy. */
  private void probe(String registry, boolean insecure, String role, String setting, String httpRefusedBecause) {
    String host = RegistryCheck.host(registry);
    Optional<Network.Proxy> proxy = network.proxyFor("https", host);
    if (proxy.isEmpty()) {
      if (RegistryCheck.check(registry, insecure, role, setting, httpRefusedBecause) && plainHttp.add(registry)) {
        log.debug(registry + " answered over plain HTTP: jib-core goes there over HTTP without trying HTTPS first"
            + (PlainHttpContainerizer.available() ? "." : " would, but " + PlainHttpContainerizer.problem()
            + "."));
      }
      return;
    }
    log.info("Proxy for " + role + " " + registry + ": " + proxy.get().describe() + ".");
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(proxy.get().host(), proxy.get().port()),
          RegistryCheck.CONNECT_MILLIS);
    } catch (IOException | IllegalArgumentException e) {
      throw new EnvironmentError("Cannot reach " + proxy.get().describe() + ", the proxy of " + role + " " + registry
          + ": " + e.getMessage() + ". Fix: start the proxy, or correct its <host>, <port> and <active> in the"
          + " <proxies> of settings.xml, or reach " + host + " directly by adding it to the proxy's"
          + " <nonProxyHosts>.", e);
    }
  }

  private ImageRecord buildTar(ImagePlan plan, Output output, boolean insecure) {
    ImageSettings s = plan.settings();
    Path tar = output.tarFile();
    checkWritable(tar);
    boolean multi = plan.platforms().size() > 1;
    if (!multi) {
      JibContainer result = toTar(plan, output, insecure, plan.platforms(), tar,
          s.format() == ImageSettings.Format.OCI ? ImageFormat.OCI : ImageFormat.Docker);
      log.info("Wrote " + tar + " (" + (s.format() == ImageSettings.Format.OCI ? "OCI" : "Docker") + " format, "
          + plan.primaryReference() + "): " + result.getDigest());
      return new ImageRecord(plan.repository(), plan.tags(), result.getDigest().toString(),
          result.getImageId().toString(), plan.primaryReference(), "tar", tar.toString(), s.platforms());
    }
    List<OciIndexTar.Part> parts = new ArrayList<>();
    String imageId = null;
    try {
      for (Platform platform : plan.platforms()) {
        Path part = output.workDirectory().resolve("platform-" + platform.getOs() + "-" + platform.getArchitecture()
            + ".tar");
        Files.createDirectories(part.getParent());
        JibContainer r = toTar(plan, output, insecure, List.of(platform), part, ImageFormat.OCI);
        if (imageId == null) {
          imageId = r.getImageId().toString();
        }
        parts.add(new OciIndexTar.Part(platform.getOs(), platform.getArchitecture(), part));
      }
      String digest = OciIndexTar.join(parts, plan.tags().get(0), tar);
      log.info("Wrote " + tar + " (OCI image index of " + String.join(", ", s.platforms()) + ", "
          + plan.primaryReference() + "): " + digest);
      return new ImageRecord(plan.repository(), plan.tags(), digest, imageId, plan.primaryReference(), "tar",
          tar.toString(), s.platforms());
    } catch (IOException e) {
      throw new EnvironmentError("Cannot write the platform images under " + output.workDirectory() + ": "
          + e.getMessage(), e);
    } finally {
      for (OciIndexTar.Part part : parts) {
        try {
          Files.deleteIfExists(part.tar());
        } catch (IOException ignored) {
          // intermediate file
        }
      }
    }
  }

  private ImageRecord buildEngine(ImagePlan plan, Output output, boolean insecure) {
    EngineClient engine = EngineClient.discover(plan.settings().dockerHost(), EngineDiscovery.system(environment));
    log.info("Container engine: " + engine.host() + " (" + engine.source() + ").");
    Path tar = output.workDirectory().resolve("engine-image.tar");
    try {
      Files.createDirectories(tar.getParent());
      JibContainer result = toTar(plan, output, insecure, plan.platforms(), tar, ImageFormat.Docker);
      String report = engine.load(tar);
      log.info("Loaded " + plan.repository() + " (" + String.join(", ", plan.tags()) + ") into the engine at "
          + engine.host() + ": " + result.getImageId() + (report.isEmpty() ? "" : " " + report));
      return new ImageRecord(plan.repository(), plan.tags(), result.getDigest().toString(),
          result.getImageId().toString(), plan.primaryReference(), "engine", null, plan.settings().platforms());
    } catch (IOException e) {
      throw new EnvironmentError("Cannot write " + tar + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(tar);
      } catch (IOException ignored) {
        // intermediate file
      }
    }
  }

  private JibContainer toTar(ImagePlan plan, Output output, boolean insecure, List<Platform> platforms, Path tar,
      ImageFormat format) {
    TarImage image = TarImage.at(tar).named(plan.target());
    Containerizer c = containerizer(Containerizer.to(image), plan, output, insecure);
    JibContainerBuilder b = builder(plan, output, platforms);
    b.setFormat(format);
    return containerize(b, c, plan);
  }

  private static void checkWritable(Path tar) {
    Path dir = tar.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      if (!Files.isWritable(dir) || Files.isDirectory(tar) || (Files.exists(tar) && !Files.isWritable(tar))) {
        throw new IOException("not writable");
      }
    } catch (IOException | SecurityException e) {
      throw new UserError("Cannot write the image tar " + tar + " (" + e.getMessage() + "). Fix: set "
          + OverrideProperties.setting("image.tarFile") + " to a writable path, e.g."
          + " ${project.build.directory}/devplugin/image.tar.");
    }
  }

  /**
   * Why a loopback registry may not speak plain HTTP although it is on loopback: jib-core allows plain HTTP for every
   * registry of a build or for none, so the loopback allowance holds only when the other registry is on loopback
   * too. That other registry is to blame, and the fix names both. Null when that is not the reason.
   */
  static String loopbackOnlyReason(ImageSettings s, String registry, String other, String otherRole,
      String otherSetting) {
    if (s.insecure() != null || other == null || !RegistryCheck.isLoopback(registry)
        || RegistryCheck.isLoopback(other)) {
      return null;
    }
    return "plain HTTP is allowed without asking only when every registry of the build is on loopback (jib-core"
        + " allows it for all registries or none), and " + otherRole + " " + other + " (" + otherSetting + ") is"
        + " not on loopback. Fix: use a loopback registry for both, serve this registry over HTTPS, or set "
        + OverrideProperties.setting("image.insecure", "true") + " to allow plain HTTP for both registries (" + other
        + " too).";
  }

  private Containerizer containerizer(Containerizer c, ImagePlan plan, Output output, boolean insecure) {
    for (int i = 1; i < plan.tags().size(); i++) {
      c.withAdditionalTag(plan.tags().get(i));
    }
    String baseCache = System.getProperty("jib.baseImageCache");
    if (baseCache != null && !baseCache.isBlank()) {
      c.setBaseImageLayersCache(Path.of(baseCache)); // the property jib's own plugins honour
    }
    c.setOfflineMode(network.offline());
    c.setAllowInsecureRegistries(insecure).setToolName("devplugin").setToolVersion(version())
        .setApplicationLayersCache(output.applicationCache())
        .addEventHandler(LogEvent.class, this::onLog);
    return c;
  }

  /** The digest of the registry base image the last build used, as jib-core named it; null when it did not. */
  String baseDigest() {
    return baseDigest;
  }

  private void onLog(LogEvent e) {
    String m = e.getMessage();
    if (m.startsWith(BASE_DIGEST) && m.substring(BASE_DIGEST.length()).strip().matches("sha256:[0-9a-f]{64}")) {
      baseDigest = m.substring(BASE_DIGEST.length()).strip();
    }
    if (m.startsWith("Cannot verify server at https://") || m.contains("over HTTPS. Attempting again with HTTP")) {
      log.debug(m); // plain HTTP was allowed explicitly (or for loopback) and said so once
      return;
    }
    switch (e.getLevel()) {
      case ERROR, WARN -> log.warn(e.getMessage());
      case LIFECYCLE, PROGRESS, INFO -> log.debug(e.getMessage());
      default -> log.debug(e.getMessage());
    }
  }

  /** How jib-core names the digest of the registry base it pulled (PullBaseImageStep). */
  private static final String BASE_DIGEST = "Using base image with digest: ";

  private JibContainerBuilder builder(ImagePlan plan, Output output, List<Platform> platforms) {
    ImageSettings s = plan.settings();
    List<FileEntriesLayer> layers = new ArrayList<>();
    JibContainerBuilder b;
    if (plan.base() instanceof BaseImage.Jlink) {
      JlinkBase.Base base = JlinkBase.prepare(s.jlinkModules(), s.userAndGroup(), cacheRoot,
          output.workDirectory(), log);
      layers.addAll(base.layers());
      b = Jib.from(TarImage.at(base.baseTar()));
    } else if (plan.base() instanceof BaseImage.Tar tar) {
      if (!Files.isRegularFile(tar.file())) {
        throw new UserError("The base image tar " + tar.file() + " (<image><from> / -D"
            + OverrideProperties.property("image.from").orElseThrow() + ") does not exist. Fix: point it at a"
            + " Docker-format image tar (docker save, skopeo copy ... docker-archive:FILE).");
      }
      b = Jib.from(TarImage.at(tar.file()));
    } else if (plan.base() instanceof BaseImage.Engine engineBase) {
      EngineClient engine = EngineClient.discover(s.dockerHost(), EngineDiscovery.system(environment));
      Path tar = output.workDirectory().resolve("engine-base.tar");
      engine.save(engineBase.name(), tar);
      log.info("Base: " + engineBase.name() + " exported from the engine at " + engine.host() + ".");
      b = Jib.from(TarImage.at(tar));
    } else {
      b = Jib.from(registryImage(((BaseImage.Registry) plan.base()).reference(), s.fromServerId(),
          "<image><fromServerId>", s));
    }
    layers.addAll(plan.layers());
    if (output.buildTime() != null) {
      try {
        Files.createDirectories(output.workDirectory());
      } catch (IOException e) {
        throw new EnvironmentError("Cannot create " + output.workDirectory() + ": " + e.getMessage(), e);
      }
    }
    b.setFileEntriesLayers(output.buildTime() == null ? layers : withFileTime(layers, output.buildTime(),
        output.workDirectory()));
    b.setPlatforms(new LinkedHashSet<>(platforms));
    b.setEntrypoint(plan.entrypoint());
    b.setProgramArguments((List<String>) null);
    b.setEnvironment(plan.environment());
    b.setExposedPorts(new LinkedHashSet<>(plan.ports()));
    b.setLabels(plan.labels());
    b.setUser(plan.user());
    b.setWorkingDirectory(AbsoluteUnixPath.get(plan.workingDirectory()));
    b.setCreationTime(output.buildTime() == null ? Instant.EPOCH : output.buildTime());
    b.setFormat(s.format() == ImageSettings.Format.OCI ? ImageFormat.OCI : ImageFormat.Docker);
    return b;
  }

  /**
   * The layers with every file's modification time set to {@code time}, the parent directories included (jib would
   * add those with its own fixed time): each parent is declared in the layer, from {@code directory} (an existing
   * directory, for its type), mode 755, owned by root.
   */
  static List<FileEntriesLayer> withFileTime(List<FileEntriesLayer> layers, Instant time, Path directory) {
    List<FileEntriesLayer> out = new ArrayList<>();
    for (FileEntriesLayer layer : layers) {
      java.util.Set<String> declared = new java.util.HashSet<>();
      layer.getEntries().forEach(e -> declared.add(e.getExtractionPath().toString()));
      java.util.Set<String> parents = new java.util.TreeSet<>();
      for (FileEntry e : layer.getEntries()) {
        String path = e.getExtractionPath().toString();
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
          String parent = path.substring(0, slash);
          if (!declared.contains(parent)) {
            parents.add(parent);
          }
        }
      }
      FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName(layer.getName());
      for (String p : parents) {
        b.addEntry(new FileEntry(directory, AbsoluteUnixPath.get(p), FilePermissions.DEFAULT_FOLDER_PERMISSIONS,
            time, ""));
      }
      for (FileEntry e : layer.getEntries()) {
        b.addEntry(new FileEntry(e.getSourceFile(), e.getExtractionPath(), e.getPermissions(), time,
            e.getOwnership()));
      }
      out.add(b.build());
    }
    return out;
  }

  /** A registry image with credentials, found as {@link RegistryCredentials} finds them. */
  private RegistryImage registryImage(ImageReference ref, String serverId, String serverElement, ImageSettings s) {
    RegistryImage image = RegistryImage.named(ref);
    Optional<RegistryCredentials.Login> login = RegistryCredentials.settingsServer(secrets, serverId, serverElement,
        ref.getRegistry());
    if (login.isPresent()) {
      log.info("Credentials for " + ref.getRegistry() + ": " + login.get().source() + ".");
      credentialSources.put(ref.getRegistry(), login.get().source());
      image.addCredential(login.get().username(), login.get().password());
      return image;
    }
    RegistryCredentials.retrievers(ref, s.credHelper(), environment, log).forEach(image::addCredentialRetriever);
    return image;
  }

  private JibContainer containerize(JibContainerBuilder b, Containerizer c, ImagePlan plan) {
    try {
      return network.withProxySystemProperties(() -> {
        try {
          return PlainHttpContainerizer.containerize(b, c, plainHttp);
        } catch (InterruptedException | RegistryException | IOException | ExecutionException
            | CacheDirectoryCreationException e) {
          throw new Wrapped(e);
        }
      });
    } catch (Wrapped w) {
      return rethrow(w.getCause(), plan);
    } catch (RuntimeException e) {
      return rethrow(e, plan);
    }
  }

  /** Carries jib's checked exceptions out of the proxy scope. */
  private static final class Wrapped extends RuntimeException {
    Wrapped(Exception cause) {
      super(cause);
    }
  }

  private JibContainer rethrow(Throwable cause, ImagePlan plan) {
    try {
      throw cause;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentError("Interrupted while building the image.", e);
    } catch (CacheDirectoryCreationException e) {
      throw new EnvironmentError("Cannot create jib's cache directory: " + e.getMessage(), e);
    } catch (RegistryException | IOException | ExecutionException | RuntimeException e) {
      throw translate(e, plan);
    } catch (Throwable e) {
      throw new EnvironmentError("Building the image failed: " + e + ".", e);
    }
  }

  /** Turns jib's exceptions into messages that name the setting and the fix. */
  RuntimeException translate(Exception e, ImagePlan plan) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t.getClass() == RuntimeException.class) && t.getCause() != null) {
      t = t.getCause();
    }
    String msg = String.valueOf(t.getMessage());
    if (t.getMessage() == null && t.getCause() != null) {
      msg = t.getCause().getClass().getSimpleName() + ": " + t.getCause().getMessage(); // e.g. HTTP client's
    }
    String base = plan.base().toString();
    String to = plan.primaryReference();
    if (t instanceof RegistryUnauthorizedException u) {
      String image = String.valueOf(u.getImageReference());
      boolean isBase = plan.base() instanceof BaseImage.Registry r && image.contains(r.reference().getRepository());
      String registry = image.contains("/") ? image.substring(0, image.indexOf('/')) : image;
      String used = credentialSources.get(registry);
      if (used != null) {
        return new UserError("The registry " + registry + " refused " + (isBase ? "pulling the base image " + base
            : "pushing " + to) + " with the credentials of " + used + " (unauthorized: " + msg + "). Fix: check"
            + " the credentials of " + used + " (user name, password, and its permission on the repository).", e);
      }
      return new UserError("The registry " + registry + " refused " + (isBase ? "pulling the base image " + base
          : "pushing " + to) + " (unauthorized: " + msg + "). Fix: add a settings.xml <server> whose <id> is "
          + registry + " (or name it with <image><" + (isBase ? "fromServerId" : "serverId") + ">), or configure"
          + " <image><credHelper> or a Docker credential helper; over plain HTTP jib only sends credentials with"
          + " -DsendCredentialsOverHttp=true.", e);
    }
    if (t instanceof RegistryAuthenticationFailedException a) {
      return new UserError("Authentication with the registry " + a.getServerUrl() + " failed: " + msg + ". Fix: check"
          + " the credentials of the settings.xml <server> or credential helper for it.", e);
    }
    if (t instanceof com.google.cloud.tools.jib.image.json.PlatformNotFoundInBaseImageException) {
      return new UserError("The base image " + base + " has no image for a platform of <image><platforms> "
          + plan.settings().platforms() + ": " + msg + ". Fix: list only platforms the base provides in"
          + " <image><platforms>, or choose a multi-platform base in " + OverrideProperties.setting("image.from")
          + ".", e);
    }
    if (t instanceof com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException) {
      return new UserError("Credentials for a plain-HTTP registry were not sent: " + msg + ". jib-core sends"
          + " credentials over plain HTTP only when asked. Fix: serve the registry over HTTPS, or, where plain HTTP"
          + " is intended (a registry on this machine), run Maven with -DsendCredentialsOverHttp=true.", e);
    }
    if (t instanceof InsecureRegistryException) {
      return new UserError("A registry is served over plain HTTP or with an untrusted certificate: " + msg
          + ". Fix: if intended, set " + OverrideProperties.setting("image.insecure", "true") + ".", e);
    }
    String lower = msg.toLowerCase(Locale.ROOT);
    if (network.offline() && lower.contains("offline mode")) {
      return new UserError("Maven runs offline (-o), and the base image " + base + " (" + OverrideProperties
          .setting("image.from") + ") is not in jib's base image cache (" + msg + "): it must be fetched from its"
          + " registry. Fix: build once without -o (that fills the cache), or use a base that needs no registry: "
          + OverrideProperties.setting("image.from", ImageSettings.JLINK) + " or tar:///path/to/base.tar.", e);
    }
    if (lower.contains("manifest unknown") || lower.contains("manifest_unknown") || lower.contains("name_unknown")
        || lower.contains("not found") && lower.contains(base.toLowerCase(Locale.ROOT))) {
      return new UserError("The base image " + base + " was not found: " + msg + ". Fix: correct "
          + OverrideProperties.setting("image.from") + " (check the repository and tag in the registry).", e);
    }
    if (lower.contains("denied") || lower.contains("403") || lower.contains("unauthorized")) {
      return new UserError("The registry refused the request (" + msg + ") for " + to + ". Fix: check the"
          + " credentials (settings.xml <server>, <image><serverId>, <image><credHelper>) and the repository's"
          + " permissions.", e);
    }
    if (t instanceof IOException || t instanceof RegistryException) {
      return new EnvironmentError("Building the image failed: " + t.getClass().getSimpleName() + ": " + msg
          + ". Base " + base + ", target " + to + ".", e);
    }
    if (t instanceof IllegalStateException || t instanceof IllegalArgumentException) {
      return new UserError("jib-core refused the image configuration: " + msg + ". Fix: check <image><platforms>,"
          + " <image><format> and <image><from>.", e);
    }
    return new EnvironmentError("Building the image failed: " + t + ".", e);
  }

  static String version() {
    return Fingerprint.pluginVersion();
  }
}
