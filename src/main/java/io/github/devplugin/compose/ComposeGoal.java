package io.github.devplugin.compose;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.framework.Launch;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The {@code compose} goal's work, without Maven: skips when nothing changed, generates the files, validates each
 * against the Compose Specification's schema (a problem fails the build naming the file and the path in it), and
 * writes them atomically, only when their content changed. Generated files of environments that no longer exist are
 * deleted (only files that carry the generator's marker).
 */
public final class ComposeGoal {
  /** Bumped when the generator's output changes for the same input, so that up-to-date checks see it. */
  static final String FORMAT = "2";

  private ComposeGoal() {}

  /**
   * What happened.
   *
   * @param upToDate true when nothing changed since the last run and nothing was done
   */
  public record Result(Path directory, List<String> written, List<String> unchanged, List<String> deleted,
      boolean upToDate) {}

  /**
   * Generates, validates and writes the compose files.
   *
   * @param upToDate the fingerprint of the last successful run
   *     ({@code UpToDate.forGoal(devpluginDirectory, "compose", null)})
   * @throws UserError for configuration problems and for schema violations
   * @throws EnvironmentError when files cannot be read or written
   */
  public static Result run(ComposeGenerator.Input input, UpToDate upToDate, BuildLog log) {
    return run(input, upToDate, log, (Path) null);
  }

  /**
   * As {@link #run(ComposeGenerator.Input, UpToDate, BuildLog)}, and for a module of a multi-module build records
   * the generated files in {@code fragment} ({@link ReactorCompose#fragmentFile}) for the reactor's one stack.
   *
   * @param fragment the module's fragment file, or null for a single-module project
   */
  public static Result run(ComposeGenerator.Input input, UpToDate upToDate, BuildLog log, Path fragment) {
    // the schema is loaded (a JSON schema library and a large document) only when files are generated
    return run(input, null, upToDate, log, ComposeSchema.bundledSource(), ComposeSchema::bundled, fragment);
  }

  /**
   * As {@link #run(ComposeGenerator.Input, UpToDate, BuildLog, Path)}, for an {@code input} without image, with the
   * image of {@code imageRecord} ({@code target/devplugin/image.json}) when it was built for the base environment.
   * The fingerprint holds that file's bytes, so that deciding that nothing changed neither parses it (Jackson) nor
   * checks its reference (jib-core): both happen only when the files are generated.
   */
  public static Result run(ComposeGenerator.Input input, Path imageRecord, UpToDate upToDate, BuildLog log,
      Path fragment) {
    return run(input, imageRecord, upToDate, log, ComposeSchema.bundledSource(), ComposeSchema::bundled, fragment);
  }

  static Result run(ComposeGenerator.Input input, UpToDate upToDate, BuildLog log, ComposeSchema schema) {
    return run(input, upToDate, log, schema, null);
  }

  static Result run(ComposeGenerator.Input input, UpToDate upToDate, BuildLog log, ComposeSchema schema,
      Path fragment) {
    return run(input, null, upToDate, log, schema.source(), () -> schema, fragment);
  }

  private static Result run(ComposeGenerator.Input given, Path imageRecord, UpToDate upToDate, BuildLog log,
      String schemaSource, java.util.function.Supplier<ComposeSchema> schemaLoader, Path fragment) {
    Path dir = given.outputDirectory();
    String fingerprint = fingerprint(given, imageRecord, schemaSource);
    List<String> expected = expectedFiles(given);
    if (upToDate.isUpToDate(fingerprint) && expected.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))
        && (fragment == null || Files.isRegularFile(fragment))) {
      // the image's reference was checked when the stamp was recorded, from the same inputs
      log.info("Compose files in " + dir + " are up to date (nothing changed in the configuration or the image).");
      return new Result(dir, List.of(), expected, List.of(), true);
    }
    ComposeGenerator.Input input = imageRecord == null ? given : new ComposeGenerator.Input(given.base(),
        given.others(), io.github.devplugin.image.ImageRecord.read(imageRecord)
            .filter(r -> r.isFor(given.base().environment())).orElse(null), given.mainClass(),
        given.outputDirectory());
    if (input.image() != null && input.image().reference() != null) {
      io.github.devplugin.image.ImagePlanner.checkReference(input.image().reference(),
          "target/devplugin/image.json (written by devplugin:image; build the image again)");
    }

    ComposeSchema schema = schemaLoader.get();
    ComposeGenerator.Output out = ComposeGenerator.generate(input);
    Written w = write(dir, out, schema, log);
    if (fragment != null) {
      ReactorCompose.writeFragment(fragment, input.base().service().name(), dir, out);
    }
    gitignore(input, log);
    upToDate.record(fingerprint);
    List<String> envs = new ArrayList<>();
    envs.add(input.base().environment());
    input.others().forEach(e -> envs.add(e.environment()));
    log.info(w.summary(dir) + " for the environments " + String.join(", ", envs) + "; validated against the"
        + " Compose Specification schema." + w.deletedNote());
    return new Result(dir, w.written(), w.unchanged(), w.deleted(), false);
  }

  /** What {@link #write} did. */
  record Written(List<String> written, List<String> unchanged, List<String> deleted) {
    String summary(Path dir) {
      return (written.isEmpty() ? "Compose files unchanged" : "Wrote " + String.join(", ", written)
          + (unchanged.isEmpty() ? "" : " (unchanged: " + String.join(", ", unchanged) + ")")) + " in " + dir;
    }

    String deletedNote() {
      return deleted.isEmpty() ? "" : " Deleted the files of removed environments: " + String.join(", ", deleted)
          + ".";
    }
  }

  /**
   * Validates every generated compose file against the schema (nothing is written when one fails), writes the files
   * that changed, deletes generated files of environments that are gone, and logs the notes.
   */
  static Written write(Path dir, ComposeGenerator.Output out, ComposeSchema schema, BuildLog log) {
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, String> f : out.files().entrySet()) {
      if (f.getKey().endsWith(".yml")) {
        problems.addAll(schema.problems(f.getKey(), f.getValue()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("The generated compose files do not follow the Compose Specification (schema"
          + " from " + schema.source() + ")", problems, "Fix: check the <compose> and <service> values these paths"
          + " come from; if they look right, this is a devplugin bug: please report it with the message above."
          + " Nothing was written.");
    }
    log.debug("Validated " + out.files().keySet() + " against the Compose Specification schema (" + schema.source()
        + ").");

    List<String> written = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    for (Map.Entry<String, String> f : out.files().entrySet()) {
      if (Outputs.writeIfChanged(dir.resolve(f.getKey()), f.getValue())) {
        written.add(f.getKey());
      } else {
        unchanged.add(f.getKey());
      }
    }
    List<String> deleted = deleteStale(dir, out.files().keySet());
    for (String note : out.notes()) {
      log.warn(note);
    }
    return new Written(List.copyOf(written), List.copyOf(unchanged), List.copyOf(deleted));
  }

  /** The names of the files a run writes. */
  static List<String> expectedFiles(ComposeGenerator.Input input) {
    List<String> names = new ArrayList<>();
    names.add(ComposeGenerator.COMPOSE_FILE);
    names.add(ComposeGenerator.DEV_OVERRIDE_FILE);
    for (EffectiveConfig e : input.others()) {
      names.add(ComposeGenerator.environmentFile(e));
    }
    names.add(ComposeGenerator.ENV_EXAMPLE_FILE);
    return names;
  }

  /**
   * The service's main class for the dev debug entrypoint, as the framework profile says to find it: the build's
   * configured main class (spring-boot-maven-plugin {@code mainClass}, {@code start-class}, Micronaut's
   * {@code exec.mainClass}), else the jar manifest's attribute ({@code Start-Class} for Spring Boot), else its
   * {@code Main-Class} unless that is a launcher (Spring Boot's {@code JarLauncher}, which needs the fat jar's
   * layout). Null when unknown, and for Quarkus' fast-jar, which has no class path to put a main class on.
   */
  public static String mainClassOf(Path jar, Launch launch) {
    if (launch.kind() == Launch.Kind.FAST_JAR) {
      return null;
    }
    if (launch.configuredMainClass() != null) {
      return launch.configuredMainClass();
    }
    if (jar == null || !Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      return null;
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      if (j.getManifest() == null) {
        return null;
      }
      java.util.jar.Attributes a = j.getManifest().getMainAttributes();
      String named = a.getValue(launch.manifestAttribute());
      if (named == null) {
        named = a.getValue("Main-Class");
      }
      return named == null || launch.launcherClasses().contains(named) ? null : named;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * What deciding that the files were up to date read besides the configuration and the packaged jar (whose main
   * class the caller found): {@code image.json}, the stamp, the project's {@code Dockerfile} and the output directory,
   * for a {@link io.github.devplugin.core.Recheck} of that decision.
   */
  public static void decisionInputs(ComposeGenerator.Input in, Path imageRecord, UpToDate upToDate,
      List<Path> files, List<Path> trees) {
    if (imageRecord != null) {
      files.add(imageRecord);
    }
    files.add(upToDate.stampFile());
    files.add(in.base().project().basedir().resolve(ComposeGenerator.DOCKERFILE));
    trees.add(in.outputDirectory());
  }

  private static String fingerprint(ComposeGenerator.Input in, Path imageRecord, String schemaSource) {
    List<Object> envs = new ArrayList<>();
    List<EffectiveConfig> all = new ArrayList<>();
    all.add(in.base());
    all.addAll(in.others());
    for (EffectiveConfig c : all) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("environment", c.environment());
      e.put("service", c.service());
      e.put("database", c.database());
      e.put("cache", c.cache());
      e.put("compose", c.compose());
      e.put("secrets", c.secrets().stream().map(s -> s.name() + (s.optional() ? "?" : "")).toList());
      envs.add(e);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("schema", schemaSource);
    root.put("environments", envs);
    root.put("image", in.image());
    root.put("mainClass", in.mainClass());
    root.put("project", List.of(in.base().project().artifactId(), String.valueOf(in.base().project().version()),
        in.base().project().basedir().toString(), in.base().project().outputDirectory().toString()));
    root.put("dockerfile", Files.isRegularFile(in.base().project().basedir().resolve(ComposeGenerator.DOCKERFILE)));
    root.put("output", in.outputDirectory().toAbsolutePath().normalize().toString());
    Fingerprint f = Fingerprint.start().add("compose", root);
    if (imageRecord != null) {
      f.addFile("imageRecord", imageRecord);
    }
    return f.hex();
  }

  /** Deletes generated {@code docker-compose.*.yml} files that this run did not write. */
  private static List<String> deleteStale(Path dir, java.util.Set<String> current) {
    List<String> deleted = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return deleted;
    }
    List<Path> candidates;
    try (Stream<Path> s = Files.list(dir)) {
      candidates = s.filter(p -> p.getFileName().toString().matches("docker-compose\\.[^.]+\\.yml")).sorted()
          .toList();
    } catch (IOException e) {
      throw new EnvironmentError("Cannot list " + dir + ": " + e.getMessage(), e);
    }
    for (Path p : candidates) {
      String name = p.getFileName().toString();
      if (current.contains(name)) {
        continue;
      }
      try {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        if (text.startsWith(ComposeGenerator.MARKER)) {
          Files.delete(p);
          deleted.add(name);
        }
      } catch (IOException e) {
        throw new EnvironmentError("Cannot delete the stale " + p + ": " + e.getMessage(), e);
      }
    }
    return deleted;
  }

  /**
   * Keeps {@code .env} out of git: outside {@code target/}, the output directory gets a {@code .gitignore} that
   * ignores it; in the project directory itself the user's {@code .gitignore} is only checked, never edited.
   */
  private static void gitignore(ComposeGenerator.Input in, BuildLog log) {
    Path dir = in.outputDirectory().toAbsolutePath().normalize();
    Path basedir = in.base().project().basedir().toAbsolutePath().normalize();
    Path build = in.base().project().buildDirectory().toAbsolutePath().normalize();
    if (dir.startsWith(build)) {
      return;
    }
    if (dir.equals(basedir)) {
      Path gi = basedir.resolve(".gitignore");
      boolean ignored = false;
      try {
        if (Files.isRegularFile(gi)) {
          ignored = Files.readAllLines(gi, StandardCharsets.UTF_8).stream().map(String::trim)
              .anyMatch(l -> l.equals(".env") || l.equals("/.env") || l.equals("*.env"));
        }
      } catch (IOException e) {
        ignored = false;
      }
      if (!ignored) {
        log.warn(".env holds the secrets of the compose environment but " + gi + " does not ignore it. Fix: add a"
            + " line '.env' to .gitignore.");
      }
      return;
    }
    String ignore = "# written by devplugin:compose: .env holds secrets\n.env\n";
    Outputs.writeIfChanged(dir.resolve(".gitignore"), ignore);
  }
}
