package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.github.devplugin.framework.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Quarkus' fast-jar layout ({@code target/quarkus-app/}) as image layers under {@link ImageLayout#APP_ROOT}, least
 * often changing first: {@code lib/boot}, {@code lib/main}, the runner jar, {@code quarkus/} (generated at build
 * time), {@code app/} (the application's own jar). The entrypoint runs the runner jar.
 *
 * @param layers the layers, in order
 * @param entrypoint {@code java <jvmFlags> -jar /app/quarkus-run.jar}
 */
record FastJar(List<FileEntriesLayer> layers, List<String> entrypoint) {

  /** The parts of the layout, in layer order: path below the app directory, and layer name. */
  private static final List<String[]> PARTS = List.of(new String[] {"lib/boot", "quarkus boot libraries"},
      new String[] {"lib/main", "quarkus libraries"}, new String[] {null, "quarkus runner"},
      new String[] {"quarkus", "quarkus generated"}, new String[] {"app", "application"});

  static FastJar plan(Path buildDirectory, Launch launch, List<String> jvmFlags, BuildLog log) {
    Path dir = buildDirectory.resolve(launch.appDirectory());
    Path runner = dir.resolve(launch.runnerJar());
    if (!Files.isRegularFile(runner)) {
      throw new UserError("Quarkus' fast-jar " + runner + " is missing: the image is built from the "
          + launch.appDirectory() + "/ directory that the Quarkus build writes. Fix: run the image goal after"
          + " quarkus-maven-plugin's build goal (mvn package), with the default package type"
          + " (quarkus.package.jar.type=fast-jar; uber-jar, legacy-jar and native builds have no such directory),"
          + " or set <service><framework>plain</framework> to build from the classes.");
    }
    List<FileEntriesLayer> layers = new ArrayList<>();
    for (String[] part : PARTS) {
      FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName(part[1]);
      if (part[0] == null) {
        b.addEntry(runner, AbsoluteUnixPath.get(ImageLayout.APP_ROOT + "/" + launch.runnerJar()));
        layers.add(b.build());
        continue;
      }
      Path source = dir.resolve(part[0]);
      if (!Files.isDirectory(source)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(source)) {
        for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
          b.addEntry(f, AbsoluteUnixPath.get(ImageLayout.APP_ROOT + "/" + dir.relativize(f).toString()
              .replace('\\', '/')));
        }
      } catch (IOException e) {
        throw new EnvironmentError("Cannot read " + source + ": " + e.getMessage(), e);
      }
      FileEntriesLayer layer = b.build();
      if (!layer.getEntries().isEmpty()) {
        layers.add(layer);
      }
    }
    log.info("Quarkus fast-jar from " + dir + ": " + String.join(", ", layers.stream().map(l -> l.getName()
        + " (" + l.getEntries().size() + ")").toList()) + "; runs " + ImageLayout.APP_ROOT + "/" + launch.runnerJar());
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add("java");
    entrypoint.addAll(jvmFlags);
    entrypoint.add("-jar");
    entrypoint.add(ImageLayout.APP_ROOT + "/" + launch.runnerJar());
    return new FastJar(layers, entrypoint);
  }
}
