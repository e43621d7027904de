package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
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
 * The {@code dockerfile} goal without Maven: plans the image like {@code image} does, stages each layer's files under
 * {@code target/devplugin/docker/layers/}, and writes {@code Dockerfile} and {@code .dockerignore} there.
 */
public final class DockerfileGoal {
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
    ImagePlan layerPlan = ImagePlanner.plan(selected, inputs, log, false);
    Map<String, ImagePlan> plans = new LinkedHashMap<>();
    for (Map.Entry<String, EffectiveConfig> t : targets.entrySet()) {
      plans.put(t.getKey(), t.getKey().equals(selected.environment()) ? layerPlan
          : ImagePlanner.plan(t.getValue(), inputs, BuildLog.NONE, false));
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
    UpToDate upToDate = new UpToDate(context.resolve(".fingerprint"));
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
          // COPY keeps the context's modes: give each file the mode the Jib image gives it
          Files.setPosixFilePermissions(target, posix(e.getPermissions().toOctalString()));
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
    String text = DockerfileGenerator.generate(layerPlan, plans, staged);
    boolean written = Outputs.writeIfChanged(dockerfile, text);
    Outputs.writeIfChanged(context.resolve(".dockerignore"), DockerfileGenerator.dockerignore());
    upToDate.record(fingerprint);
    log.info((written ? "Wrote " : "Unchanged: ") + selected.project().basedir().relativize(dockerfile) + " (targets "
        + String.join(", ", plans.keySet()) + "; " + staged.size() + " layers, " + files + " files staged). Build"
        + " it with: podman build --format docker --target " + selected.environment() + " " + context);
    return dockerfile;
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
    return String.join("|", p.base(), p.entrypoint().toString(), p.environment().toString(), p.ports().toString(),
        p.labels().toString(), p.user(), p.tags().toString(), String.valueOf(p.port()), p.healthPath());
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
