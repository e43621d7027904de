package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.UpToDate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code image} goal without Maven: plan, skip when nothing changed, build, record
 * {@code target/devplugin/image.json}.
 */
public final class ImageGoal {
  /** The goal-only flag that builds although nothing changed (no configuration key). */
  public static final String FORCE_PROPERTY = "devplugin.image.force";

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
    ImagePlan plan = ImagePlanner.plan(config, inputs, log);
    ImageSettings s = plan.settings();
    Path dir = config.project().devpluginDirectory();
    Path tar = s.tarFile() != null ? config.project().basedir().resolve(s.tarFile()) : defaultTar(config);
    Path recordFile = ImageRecord.file(dir);
    String fingerprint = fingerprint(config, plan, tar);
    UpToDate upToDate = UpToDate.forGoal(dir, "image", null);
    Optional<ImageRecord> previous = ImageRecord.read(recordFile);
    boolean outputThere = previous.isPresent() && (s.target() != ImageSettings.Target.TAR || Files.isRegularFile(tar))
        && (s.target() == ImageSettings.Target.ENGINE || Files.isRegularFile(ImageSbom.file(dir)));
    if (!force && outputThere && upToDate.isUpToDate(fingerprint)) {
      log.info("Image " + previous.get().reference() + " is up to date (classes, dependencies and configuration"
          + " unchanged); nothing built or pushed. Use -D" + FORCE_PROPERTY + "=true to build anyway.");
      return previous.get();
    }
    log.info("Building image " + plan.primaryReference() + " (" + describe(s) + ") from "
        + (plan.base() instanceof BaseImage.Jlink ? "a jlink runtime of this JDK" : plan.base()) + ", main class " + plan.mainClass()
        + ", user " + plan.user() + (force ? ", forced" : previous.isEmpty() ? ", first build" : ", inputs changed")
        + ".");
    ImageBuilder builder = new ImageBuilder(secrets, log, cacheRoot, environment);
    ImageRecord record = builder.build(plan, new ImageBuilder.Output(tar, inputs.workDirectory(),
        dir.resolve("jib-cache"))).withEnvironment(config.environment());
    ImageSbom.run(config, record, secrets, log, environment);
    record.write(recordFile);
    upToDate.record(fingerprint);
    log.info("Recorded " + config.project().basedir().relativize(recordFile) + ": " + record.reference());
    return record;
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
  static String fingerprint(EffectiveConfig config, ImagePlan plan, Path tar) {
    Fingerprint f = Fingerprint.start().add("devplugin", ImageBuilder.version()).add("env", config.environment())
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
