package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.FileDigests;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Network;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.sbom.RegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code image} goal without Maven: plan, skip when nothing changed, build, record
 * {@code target/devplugin/image.json}.
 */
public final class ImageGoal {
  /** The goal-only flag that builds although nothing changed (no configuration key). */
  public static final String FORCE_PROPERTY = "devplugin.image.force";
  /** The goal-only setting of devplugin's user cache (the jlink base, the SBOM's layer inventories). */
  public static final String CACHE_DIRECTORY_PROPERTY = "devplugin.cacheDirectory";

  private ImageGoal() {}

  /** The default tar of the tar target. */
  public static Path defaultTar(EffectiveConfig config) {
    return config.project().devpluginDirectory().resolve("image.tar");
  }

  /**
   * @param force build even when the inputs are unchanged
   * @return the record written (or the unchanged one)
   */
  public static ImageRecord run(EffectiveConfig config, ImageInputs inputs, Secrets secrets, BuildLog log,
      Path cacheRoot, Map<String, String> environment, boolean force) {
    return run(config, inputs, secrets, log, cacheRoot, environment, Network.DIRECT, force);
  }

  /**
   * @param network offline mode and the proxies for registry traffic
   * @param force build even when the inputs are unchanged
   * @return the record written (or the unchanged one)
   */
  public static ImageRecord run(EffectiveConfig config, ImageInputs inputs, Secrets secrets, BuildLog log,
      Path cacheRoot, Map<String, String> environment, Network network, boolean force) {
    return update(config, inputs, secrets, log, cacheRoot, environment, network, force).orElseGet(() ->
        ImageRecord.read(ImageRecord.file(config.project().devpluginDirectory())).orElseThrow());
  }

  /**
   * {@link #run} for a front-end that does not use the record: when the inputs stamp decides that the image is up to
   * date, {@code image.json} is not read (its bytes are in that stamp, the reference for the log line is the stamp's
   * note), so no JSON parser loads.
   *
   * @return the record written or read, empty when the inputs stamp decided
   */
  public static Optional<ImageRecord> update(EffectiveConfig config, ImageInputs inputs, Secrets secrets,
      BuildLog log, Path cacheRoot, Map<String, String> environment, Network network, boolean force) {
    ImageSettings s = config.image();
    Path dir = config.project().devpluginDirectory();
    Path tar = s.tarFile() != null ? config.project().basedir().resolve(s.tarFile()) : defaultTar(config);
    Path recordFile = ImageRecord.file(dir);
    UpToDate upToDate = UpToDate.forGoal(dir, "image", null);
    UpToDate inputsStamp = UpToDate.forGoal(dir, "image", "inputs");
    boolean outputThere = Files.isRegularFile(recordFile)
        && (s.target() != ImageSettings.Target.TAR || Files.isRegularFile(tar))
        && (s.target() == ImageSettings.Target.ENGINE || Files.isRegularFile(ImageSbom.file(dir)));
    // first the raw inputs, before planning: when neither they nor the last build's stamp changed, nothing of jib is
    // loaded and no layer is planned. They are hashed once, before any build (a file changed while jib builds is
    // then seen by the next run), and that hash is recorded with the new stamp afterwards.
    // Files are taken by their digest, remembered next to the stamp by path, size, modification time and file key:
    // an unchanged dependency jar is not read again (FileDigests).
    FileDigests digests = FileDigests.nextTo(inputsStamp);
    String rawInputs = rawInputs(config, inputs, tar, digests);
    String inputsFingerprint = inputsFingerprint(rawInputs, upToDate, recordFile);
    Optional<String> reference = force || !outputThere || inputsFingerprint == null ? Optional.empty()
        : inputsStamp.noteIfUpToDate(inputsFingerprint);
    if (reference.isPresent()) {
      digests.save();
      upToDate(reference.get(), log);
      return Optional.empty();
    }
    Optional<ImageRecord> previous = ImageRecord.read(recordFile);
    outputThere &= previous.isPresent();
    ImagePlan plan = ImagePlanner.plan(config, inputs, log);
    String fingerprint = fingerprint(config, plan, tar, inputs.buildTime(), digests);
    if (!force && outputThere && upToDate.isUpToDate(fingerprint)) {
      recordInputs(inputsStamp, rawInputs, upToDate, recordFile, previous.get());
      digests.save();
      upToDate(previous.get().reference(), log);
      return previous;
    }
    log.info("Building image " + plan.primaryReference() + " (" + describe(s) + ") from "
        + (plan.base() instanceof BaseImage.Jlink ? "a jlink runtime of this JDK" : plan.base()) + ", main class " + plan.mainClass()
        + ", user " + plan.user() + (force ? ", forced" : previous.isEmpty() ? ", first build" : ", inputs changed")
        + ".");
    if (s.target() != ImageSettings.Target.ENGINE) {
      // before any HTTP client starts (the SBOM's, an incremental push's): the JDK reads this once
      network.allowProxyLoginsOnTunnels().ifPresent(log::warn);
    }
    ImageBuilder.Output output = new ImageBuilder.Output(tar, inputs.workDirectory(), dir.resolve("jib-cache"),
        inputs.buildTime());
    // an image that differs from the last push only in some application layers' content is pushed without jib-core
    boolean incremental = IncrementalPush.applies(plan, network);
    List<FileEntriesLayer> layers = null;
    String stable = null;
    if (incremental) {
      try {
        layers = IncrementalPush.layers(plan, output);
        stable = IncrementalPush.stable(config, plan, inputs.buildTime());
      } catch (java.io.IOException e) {
        log.debug("No incremental push: " + e.getMessage());
        incremental = false;
      }
    }
    if (!incremental) {
      IncrementalPush.forget(dir);
    }
    Optional<IncrementalPush.Pushed> pushed = incremental && !force && previous.isPresent()
        ? IncrementalPush.push(plan, layers, stable, previous.get(),
            new IncrementalPush.Context(config, secrets, environment, log, digests))
        : Optional.empty();
    ImageRecord record;
    if (pushed.isPresent()) {
      IncrementalPush.Pushed p = pushed.get();
      record = p.record().withEnvironment(config.environment());
      String sbom = ImageSbom.runIncremental(config, record, p.manifest(), p.last().digest(),
          p.last().sbom().equals("-") ? null : p.last().sbom(), p.neutral(), secrets, log, cacheRoot, environment);
      IncrementalPush.save(dir, p.state().withSbom(sbom));
    } else {
      Full full = build(config, plan, output, secrets, log, cacheRoot, environment, network);
      record = full.record();
      if (incremental) {
        String baseDigest = ((BaseImage.Registry) plan.base()).reference().getDigest().orElse(full.baseDigest());
        IncrementalPush.remember(dir, stable, layers, record, baseDigest, full.manifest(), full.config(),
            ImageSbom.writtenDigest(dir), digests, log);
      }
    }
    record.write(recordFile);
    upToDate.record(fingerprint);
    recordInputs(inputsStamp, rawInputs, upToDate, recordFile, record);
    digests.save();
    log.info("Recorded " + config.project().basedir().relativize(recordFile) + ": " + record.reference());
    return Optional.of(record);
  }

  /**
   * A build through jib-core with its SBOM: the image's record, the base digest jib-core used (or null), and the
   * image's manifest and configuration as the SBOM read them back (null when it did not).
   */
  private record Full(ImageRecord record, String baseDigest, RegistryClient.Manifest manifest, byte[] config) {}

  private static Full build(EffectiveConfig config, ImagePlan plan, ImageBuilder.Output output, Secrets secrets,
      BuildLog log, Path cacheRoot, Map<String, String> environment, Network network) {
    ImageSbom.Preparation prepared = ImageSbom.Preparation.NONE;
    if (config.image().target() != ImageSettings.Target.ENGINE) {
      prepared = ImageSbom.prepare(plan, secrets, cacheRoot, environment, network, log); // while jib builds
    }
    ImageBuilder builder = new ImageBuilder(secrets, log, cacheRoot, environment, network);
    ImageRecord record = builder.build(plan, output).withEnvironment(config.environment());
    // the SBOM reads the pushed image back and attaches itself: the same proxies as jib's traffic
    ImageSbom.Preparation ready = prepared;
    Optional<ImageSbom.Written> sbom = network.withProxySystemProperties(() ->
        ImageSbom.run(config, record, secrets, log, cacheRoot, environment, ready));
    return new Full(record, builder.baseDigest(), sbom.map(ImageSbom.Written::manifest).orElse(null),
        sbom.map(ImageSbom.Written::config).orElse(null));
  }

  private static void upToDate(String reference, BuildLog log) {
    log.info("Image " + reference + " is up to date (classes, dependencies and configuration"
        + " unchanged); nothing built or pushed. Use -D" + FORCE_PROPERTY + "=true to build anyway.");
  }

  /** The inputs stamp, with the image's reference as its note for the next up-to-date log line. */
  private static void recordInputs(UpToDate inputsStamp, String rawInputs, UpToDate upToDate, Path recordFile,
      ImageRecord record) {
    String f = inputsFingerprint(rawInputs, upToDate, recordFile);
    if (f != null) {
      inputsStamp.record(f, record.reference());
    }
  }

  /**
   * Everything the plan is made from, unplanned: the configuration, every input file's content (classes, dependencies,
   * the migrator's jars, the extra directories, a tar base), the git revision, this JDK for a jlink base. Null when
   * the base is an engine's image, which may change without any of these changing.
   */
  static String rawInputs(EffectiveConfig config, ImageInputs inputs, Path tar, FileDigests digests) {
    // Fingerprint.start() holds the plugin version (ImageBuilder, which would load jib, is not touched)
    Fingerprint f = Fingerprint.start().withDigests(digests);
    return addConfiguration(f, config, inputs, tar) ? addInputFiles(f, inputs).hex() : null;
  }

  /**
   * The {@link #rawInputs} with the stamp of the last build (so that this check never outlives it) and the bytes of
   * its record ({@code image.json}, which the up-to-date path then need not parse). Null when there is no last build
   * or the raw inputs are null.
   */
  static String inputsFingerprint(String rawInputs, UpToDate lastBuild, Path recordFile) {
    if (rawInputs == null || !Files.isRegularFile(lastBuild.stampFile())) {
      return null;
    }
    return Fingerprint.start().addFile("last build", lastBuild.stampFile()).addFile("record", recordFile)
        .add("inputs", rawInputs).hex();
  }

  /**
   * Adds what the plan of one environment reads besides {@link #addInputFiles}: its configuration, the tar, this JDK,
   * the extra directories and a tar base. False when the base is an engine's image, which may change without any of
   * these changing.
   */
  static boolean addConfiguration(Fingerprint f, EffectiveConfig config, ImageInputs inputs, Path tar) {
    ImageSettings s = config.image();
    if (s.from() != null && s.from().startsWith(BaseImage.ENGINE_PREFIX)) {
      return false;
    }
    f.add("env", config.environment())
        .add("time", String.valueOf(inputs.buildTime())).add("project", config.project()).add("service", config.service()).add("image", s)
        .add("database", config.database()).add("tar", tar)
        .add("java.home", System.getProperty("java.home")).add("java", System.getProperty("java.runtime.version"));
    for (String extra : s.extraDirectories()) {
      f.addTree("extra", config.project().basedir().resolve(extra));
    }
    if (s.from() != null && s.from().startsWith(BaseImage.TAR_PREFIX)) {
      f.addFile("base", Path.of(s.from().substring(BaseImage.TAR_PREFIX.length())));
    }
    return true;
  }

  /**
   * Adds the inputs every environment's plan shares: the jar manifest, the git revision and whether the work tree is
   * dirty (a {@code git-sha} tag), the content of the classes,
   * dependencies and the migrator's jars.
   */
  static Fingerprint addInputFiles(Fingerprint f, ImageInputs inputs) {
    f.add("manifest", new java.util.TreeMap<>(inputs.manifest())).add("git", inputs.gitRevision())
        .add("dirty", inputs.gitDirty()).add("work", inputs.workDirectory()).addTree("classes", inputs.classesDirectory());
    for (ImageInputs.Dependency d : inputs.dependencies()) {
      f.add("dependency", d.key()).add("kind", d.kind());
      if (Files.isDirectory(d.file())) {
        f.addTree("tree", d.file());
      } else {
        f.addFile("file", d.file());
      }
    }
    for (Path jar : inputs.migratorJars()) {
      f.addFile("migrator", jar);
    }
    return f;
  }

  private static String describe(ImageSettings s) {
    String target = switch (s.target()) {
      case REGISTRY -> "registry";
      case TAR -> "tar, " + s.format().name().toLowerCase(java.util.Locale.ROOT);
      case ENGINE -> "engine";
    };
    return target + ", " + String.join(", ", s.platforms());
  }

  /** Everything the image depends on: configuration, the plan, every layer file's content. */
  static String fingerprint(EffectiveConfig config, ImagePlan plan, Path tar, java.time.Instant buildTime,
      FileDigests digests) {
    Fingerprint f = Fingerprint.start().withDigests(digests).add("time", String.valueOf(buildTime)).add("devplugin", ImageBuilder.version()).add("env", config.environment())
        .add("settings", plan.settings()).add("base", plan.base().toString())
        .add("repository", plan.repository()).add("tags", plan.tags()).add("entrypoint", plan.entrypoint())
        .add("environment", plan.environment()).add("ports", plan.portNames()).add("labels", plan.labels())
        .add("user", plan.user()).add("tar", tar);
    if (plan.base() instanceof BaseImage.Jlink) {
      f.add("java.home", System.getProperty("java.home")).add("java", System.getProperty("java.runtime.version"));
    } else if (plan.base() instanceof BaseImage.Tar baseTar) {
      f.addFile("base", baseTar.file());
    } else if (plan.base() instanceof BaseImage.Engine) {
      f.add("engine base", System.nanoTime()); // the engine's image may have changed: always rebuild
    }
    for (FileEntriesLayer layer : plan.layers()) {
      f.add("layer", layer.getName());
      for (FileEntry e : layer.getEntries()) {
        f.add("path", e.getExtractionPath()).add("mode", e.getPermissions().toOctalString())
            .add("owner", e.getOwnership());
        if (Files.isRegularFile(e.getSourceFile())) {
          f.addFile("file", e.getSourceFile());
        }
      }
    }
    return f.hex();
  }
}
