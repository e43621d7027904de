package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import io.github.devplugin.config.DockerfileSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.FileDigests;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.core.UpToDate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code dockerfile} goal without Maven: plans the image like {@code image} does, then either
 * <ul>
 *   <li>({@code staged} mode) stages each layer's files under {@code target/devplugin/docker/layers/} and writes
 *       {@code Dockerfile} and {@code .dockerignore} there, or</li>
 *   <li>({@code source} mode) writes {@code <image><dockerfile><file>} and {@code <file>.dockerignore}: a Dockerfile
 *       whose build context is the project directory, which compiles the project in a builder image and lays the
 *       layers out with this goal's staged mode inside the build.</li>
 * </ul>
 */
public final class DockerfileGoal {
  /** {@code groupId:artifactId} of devplugin, which the source Dockerfile runs inside the build to lay out layers. */
  public static final String PLUGIN_KEY = "io.github.devplugin:devplugin-maven-plugin";

  /** The modification time of every staged file: Jib's {@code FileEntriesLayer.DEFAULT_MODIFICATION_TIME}, so that a
   * rebuild copies identical layers (spelled out: the no-work path loads no jib class; a test keeps them equal). */
  static final java.nio.file.attribute.FileTime STAGED_TIME = java.nio.file.attribute.FileTime.from(
      java.time.Instant.ofEpochSecond(1));

  /** The goal's name, which its stamps carry. */
  static final String GOAL = "dockerfile";

  private DockerfileGoal() {}

  /** {@code target/devplugin/docker}: the build context. */
  public static Path contextDirectory(EffectiveConfig config) {
    return config.project().devpluginDirectory().resolve("docker");
  }

  /**
   * @param selected the environment whose layers the build stage copies
   * @param targets every environment's configuration, by target name ({@code dev}, {@code staging}, {@code prod},
   *     ...)
   * @return the Dockerfile
   */
  public static Path run(EffectiveConfig selected, Map<String, EffectiveConfig> targets, ImageInputs inputs,
      BuildLog log) {
    return run(selected, targets, inputs, PLUGIN_KEY + ":" + ImageBuilder.version(), log);
  }

  /**
   * @param pluginCoordinates {@code groupId:artifactId:version} of the running devplugin: the source Dockerfile runs
   *     this very version's staged mode inside the build
   * @return the Dockerfile written (or up to date)
   */
  public static Path run(EffectiveConfig selected, Map<String, EffectiveConfig> targets, ImageInputs inputs,
      String pluginCoordinates, BuildLog log) {
    // first the raw inputs, before planning: when neither they nor the last run's stamp changed, no environment is
    // planned and nothing of jib is loaded
    boolean sourceMode = selected.image().dockerfile().mode() == DockerfileSettings.Mode.SOURCE;
    Path dir = selected.project().devpluginDirectory();
    UpToDate lastRun = UpToDate.forGoal(dir, GOAL, sourceMode ? "source" : null);
    UpToDate inputsStamp = UpToDate.forGoal(dir, GOAL, sourceMode ? "source-inputs" : "inputs");
    // files by their digests remembered by path, size, modification time and file key (as the image goal does): an
    // unchanged dependency jar is not read again
    FileDigests digests = FileDigests.nextTo(inputsStamp);
    String inputsFingerprint = inputsFingerprint(selected, targets, inputs, pluginCoordinates, lastRun, digests);
    Path output = sourceMode ? sourceDockerfile(selected) : contextDirectory(selected).resolve("Dockerfile");
    if (inputsFingerprint != null && Files.isRegularFile(output)
        && (!sourceMode || Files.isRegularFile(ignoreFile(output))) && inputsStamp.isUpToDate(inputsFingerprint)) {
      digests.save();
      log.info("Dockerfile " + unix(selected.project().basedir().relativize(output)) + " is up to date (classes,"
          + " dependencies and configuration unchanged).");
      return output;
    }
    Path written = plan(selected, targets, inputs, pluginCoordinates, log);
    // with the new stamp of the last run; the files as they were read before planning (one changed since is seen by
    // the next run, whose size or time then differs from the remembered one)
    String after = inputsFingerprint(selected, targets, inputs, pluginCoordinates, lastRun, digests);
    if (after != null) {
      inputsStamp.record(after);
      digests.save();
    }
    return written;
  }

  /**
   * Everything every target's plan is made from, unplanned ({@link ImageGoal#addConfiguration} per target, the input
   * files once), the mode, the plugin that a source Dockerfile runs and the stamp of the last run (so that this check
   * never outlives it). Null before a first run and for an engine's base image.
   */
  static String inputsFingerprint(EffectiveConfig selected, Map<String, EffectiveConfig> targets,
      ImageInputs inputs, String pluginCoordinates, UpToDate lastRun, FileDigests digests) {
    if (!Files.isRegularFile(lastRun.stampFile())) {
      return null;
    }
    Fingerprint f = Fingerprint.start().withDigests(digests).add("selected", selected.environment())
        .add("plugin", pluginCoordinates)
        .addFile("last run", lastRun.stampFile())
        .add("wrapper", Files.isDirectory(selected.project().basedir().resolve(".mvn")));
    if (!ImageGoal.addConfiguration(f, selected, inputs, null)) {
      return null;
    }
    for (Map.Entry<String, EffectiveConfig> t : targets.entrySet()) {
      if (!ImageGoal.addConfiguration(f.add("target", t.getKey()), t.getValue(), inputs, null)) {
        return null;
      }
    }
    return ImageGoal.addInputFiles(f, inputs).hex();
  }

  private static Path sourceDockerfile(EffectiveConfig selected) {
    return selected.project().basedir().resolve(selected.image().dockerfile().file()).normalize();
  }

  private static Path ignoreFile(Path dockerfile) {
    return dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
  }

  private static Path plan(EffectiveConfig selected, Map<String, EffectiveConfig> targets, ImageInputs inputs,
      String pluginCoordinates, BuildLog log) {
    ImagePlan layerPlan = ImagePlanner.plan(selected, inputs, log, false);
    Map<String, ImagePlan> plans = new LinkedHashMap<>();
    for (Map.Entry<String, EffectiveConfig> t : targets.entrySet()) {
      plans.put(t.getKey(), t.getKey().equals(selected.environment()) ? layerPlan
          : ImagePlanner.plan(t.getValue(), inputs, BuildLog.NONE, false));
    }
    DockerfileSettings settings = selected.image().dockerfile();
    if (settings.mode() == DockerfileSettings.Mode.SOURCE) {
      return source(selected, layerPlan, plans, settings, pluginCoordinates, log);
    }
    Path context = contextDirectory(selected);
    Path dockerfile = context.resolve("Dockerfile");
    Fingerprint f = Fingerprint.start().add("devplugin", ImageBuilder.version());
    plans.forEach((name, p) -> f.add("target", name).add("plan", describe(p)));
    for (FileEntriesLayer layer : layerPlan.layers()) {
      for (FileEntry e : layer.getEntries()) {
        f.add("path", e.getExtractionPath()).add("mode", e.getPermissions().toOctalString());
        if (Files.isRegularFile(e.getSourceFile())) {
          f.addFile("file", e.getSourceFile());
        }
      }
    }
    String fingerprint = f.hex();
    UpToDate upToDate = UpToDate.forGoal(selected.project().devpluginDirectory(), GOAL, null);
    if (Files.isRegularFile(dockerfile) && upToDate.isUpToDate(fingerprint)) {
      log.info("Dockerfile " + selected.project().basedir().relativize(dockerfile) + " is up to date (classes,"
          + " dependencies and configuration unchanged).");
      return dockerfile;
    }
    Path layersDir = context.resolve("layers");
    deleteTree(layersDir);
    List<DockerfileGenerator.StagedLayer> staged = new ArrayList<>();
    int files = 0;
    for (int i = 0; i < layerPlan.layers().size(); i++) {
      FileEntriesLayer layer = layerPlan.layers().get(i);
      String dir = DockerfileGenerator.directory(i, layer);
      String owner = null;
      for (FileEntry e : layer.getEntries()) {
        Path target = context.resolve(dir).resolve(e.getExtractionPath().toString().substring(1));
        try {
          if (Files.isDirectory(e.getSourceFile())) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            Files.copy(e.getSourceFile(), target, StandardCopyOption.REPLACE_EXISTING);
            files++;
          }
          // COPY keeps the context's modes and times: give each file the mode and time the Jib image gives it
          Files.setPosixFilePermissions(target, posix(e.getPermissions().toOctalString()));
          Files.setLastModifiedTime(target, STAGED_TIME);
        } catch (IOException ex) {
          throw new EnvironmentError("Cannot stage " + e.getSourceFile() + " for the Dockerfile in " + target + ": "
              + ex.getMessage(), ex);
        }
        if (e.getOwnership() != null && !e.getOwnership().isEmpty()) {
          owner = e.getOwnership();
        }
      }
      staged.add(new DockerfileGenerator.StagedLayer(dir, layer.getName(), owner));
    }
    fixDirectoryTimes(layersDir);
    String text = DockerfileGenerator.generate(layerPlan, plans, staged);
    boolean written = Outputs.writeIfChanged(dockerfile, text);
    Outputs.writeIfChanged(context.resolve(".dockerignore"), DockerfileGenerator.dockerignore());
    upToDate.record(fingerprint);
    log.info((written ? "Wrote " : "Unchanged: ") + selected.project().basedir().relativize(dockerfile) + " (targets "
        + String.join(", ", plans.keySet()) + "; " + staged.size() + " layers, " + files + " files staged). Build"
        + " it with: podman build --format docker --target " + selected.environment() + " " + context);
    return dockerfile;
  }

  /**
   * The source mode: the Dockerfile and its ignore file, from the plan's layers (their directories under
   * {@code target/devplugin/docker/layers/}, which the staged mode fills inside the build). Nothing is staged here.
   */
  private static Path source(EffectiveConfig selected, ImagePlan layerPlan, Map<String, ImagePlan> plans,
      DockerfileSettings settings, String pluginCoordinates, BuildLog log) {
    Path basedir = selected.project().basedir();
    Path dockerfile = sourceDockerfile(selected);
    Path ignoreFile = ignoreFile(dockerfile);
    List<DockerfileGenerator.StagedLayer> layers = new ArrayList<>();
    for (int i = 0; i < layerPlan.layers().size(); i++) {
      FileEntriesLayer layer = layerPlan.layers().get(i);
      String owner = null;
      for (FileEntry e : layer.getEntries()) {
        if (e.getOwnership() != null && !e.getOwnership().isEmpty()) {
          owner = e.getOwnership();
        }
      }
      layers.add(new DockerfileGenerator.StagedLayer(DockerfileGenerator.directory(i, layer), layer.getName(),
          owner));
    }
    DockerfileGenerator.SourceBuild build = new DockerfileGenerator.SourceBuild(unix(basedir.relativize(dockerfile)),
        settings.builderImage(), Files.isDirectory(basedir.resolve(".mvn")), pluginCoordinates,
        unix(basedir.relativize(contextDirectory(selected))), selected.environment(), settings.skipTests());
    Fingerprint f = Fingerprint.start().add("devplugin", ImageBuilder.version()).add("mode", "source")
        .add("build", build.toString());
    plans.forEach((name, p) -> f.add("target", name).add("plan", describe(p)));
    layers.forEach(l -> f.add("layer", l.toString()));
    String fingerprint = f.hex();
    UpToDate upToDate = UpToDate.forGoal(selected.project().devpluginDirectory(), GOAL, "source");
    String relative = unix(basedir.relativize(dockerfile));
    if (Files.isRegularFile(dockerfile) && Files.isRegularFile(ignoreFile) && upToDate.isUpToDate(fingerprint)) {
      log.info("Dockerfile " + relative + " is up to date (configuration, dependencies' layout and devplugin"
          + " unchanged).");
      return dockerfile;
    }
    String text = DockerfileGenerator.generateSource(layerPlan, plans, layers, build);
    boolean written = Outputs.writeIfChanged(dockerfile, text);
    Outputs.writeIfChanged(ignoreFile, DockerfileGenerator.sourceDockerignore(relative));
    upToDate.record(fingerprint);
    log.info((written ? "Wrote " : "Unchanged: ") + relative + " and its " + dockerfile.getFileName()
        + ".dockerignore (mode source: compiles the project in " + settings.builderImage() + "; targets "
        + String.join(", ", plans.keySet()) + "). Build it from the project directory with: docker build -f "
        + relative + " --target " + selected.environment() + " .");
    return dockerfile;
  }

  private static String unix(Path relative) {
    return relative.toString().replace('\\', '/');
  }

  /** Gives every staged directory the staged time (creating entries below a directory changes its time). */
  private static void fixDirectoryTimes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isDirectory).toList()) {
        Files.setLastModifiedTime(p, STAGED_TIME);
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot set the times of the staged layers in " + dir + ": " + e.getMessage(), e);
    }
  }

  static java.util.Set<java.nio.file.attribute.PosixFilePermission> posix(String octal) {
    StringBuilder rwx = new StringBuilder();
    for (char c : octal.substring(octal.length() - 3).toCharArray()) {
      int n = c - '0';
      rwx.append((n & 4) != 0 ? 'r' : '-').append((n & 2) != 0 ? 'w' : '-').append((n & 1) != 0 ? 'x' : '-');
    }
    return java.nio.file.attribute.PosixFilePermissions.fromString(rwx.toString());
  }

  private static String describe(ImagePlan p) {
    return String.join("|", p.base().toString(), p.entrypoint().toString(), p.environment().toString(),
        p.portNames().toString(),
        p.labels().toString(), p.user(), p.tags().toString(), String.valueOf(p.port()), p.healthCheck().toString());
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot clear " + dir + ": " + e.getMessage(), e);
    }
  }
}
