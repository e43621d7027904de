package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.devplugin.config.Configuration;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.image.ImageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The {@code k8s} goal's core: generates the objects of one environment, merges the user's fragments, validates,
 * and writes {@code <outputRoot>/<env>/}: one file per object, a {@code kustomization.yaml} listing them (so
 * {@code kubectl apply -k} works) and the all-in-one {@code manifests.yaml}. Nothing is written when anything is
 * invalid; nothing is rewritten when the inputs did not change (stamp {@code stamps/k8s-<env>.fingerprint}).
 * One run may write several environments ({@link #ENVIRONMENTS_PROPERTY}): each as it would be written alone, with
 * its own directory, stamp, decision and log line.
 */
public final class K8sGoal {
  /** Bumped whenever the generator's output changes for the same inputs, so old stamps are not trusted. */
  static final String GENERATOR_VERSION = "2";
  public static final String KUSTOMIZATION = "kustomization.yaml";
  public static final String ALL_IN_ONE = "manifests.yaml";
  /**
   * The goal parameter that names the environments one run writes (comma-separated on the command line), default
   * the selected one ({@code -Ddevplugin.env}): e.g. {@code -Ddevplugin.k8s.environments=dev,staging,prod} for a
   * GitOps repository that keeps every environment's manifests.
   */
  public static final String ENVIRONMENTS_PROPERTY = "devplugin.k8s.environments";
  /** The POM element of {@link #ENVIRONMENTS_PROPERTY}: {@code <k8sEnvironments><environment>dev</environment>...}. */
  public static final String ENVIRONMENTS_PARAMETER = "k8sEnvironments";

  /**
   * What a run did: the environment's output {@code directory}, the {@code objects} in apply order, the
   * {@code image} the workloads run, whether nothing had changed ({@code upToDate}: nothing written) and how many
   * files were (re)written. When up to date, the objects are read back from the written files only when asked for
   * (by {@code apply}): deciding that nothing changed loads no Kubernetes model.
   */
  public static final class Result {
    private final String environment;
    private final Path directory;
    private final Supplier<List<HasMetadata>> objects;
    private final Supplier<ImageChoice> image;
    private final boolean upToDate;
    private final int written;
    private List<HasMetadata> loaded;
    private ImageChoice chosen;

    Result(String environment, Path directory, Supplier<List<HasMetadata>> objects, Supplier<ImageChoice> image,
        boolean upToDate, int written) {
      this.environment = environment;
      this.directory = directory;
      this.objects = objects;
      this.image = image;
      this.upToDate = upToDate;
      this.written = written;
    }

    public String environment() {
      return environment;
    }

    public Path directory() {
      return directory;
    }

    /** The objects, in apply order. */
    public synchronized List<HasMetadata> objects() {
      if (loaded == null) {
        loaded = List.copyOf(objects.get());
      }
      return loaded;
    }

    /** The image the workloads run; when up to date, chosen (reading {@code image.json}) only when asked for. */
    public synchronized ImageChoice image() {
      if (chosen == null) {
        chosen = image.get();
      }
      return chosen;
    }

    public boolean upToDate() {
      return upToDate;
    }

    public int written() {
      return written;
    }
  }

  private K8sGoal() {}

  /**
   * The environments one run writes: {@code requested} (from {@link #ENVIRONMENTS_PROPERTY}; an entry may hold
   * several names separated by commas), in the order given and without repeats, or the selected environment when
   * none is requested.
   *
   * @throws ProblemsException naming the parameter and the known environments when a name is not one of them
   */
  public static List<String> environments(List<String> requested, Configuration all) {
    List<String> out = requested(requested, all.selectedName());
    List<Problem> problems = new ArrayList<>();
    for (String env : out) {
      if (!all.environments().containsKey(env)) {
        problems.add(new Problem("-D" + ENVIRONMENTS_PROPERTY + " (<" + ENVIRONMENTS_PARAMETER + ">)",
            "unknown environment '" + env + "'; the known environments are " + String.join(", ", all.names())
                + ".", "name only known environments, e.g. -D" + ENVIRONMENTS_PROPERTY + "="
                + String.join(",", all.names()) + ", or declare <environments><" + env + ">...</" + env
                + "></environments> in the plugin configuration."));
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("devplugin:k8s cannot write the manifests of the requested environments",
          problems, null);
    }
    return out;
  }

  /**
   * The names {@code requested} (entries split at commas, blanks and repeats dropped, in the order given), or
   * {@code selected} when there are none; not checked against the configuration ({@link #environments} does).
   */
  public static List<String> requested(List<String> requested, String selected) {
    List<String> out = new ArrayList<>();
    for (String entry : requested == null ? List.<String>of() : requested) {
      for (String name : entry == null ? new String[0] : entry.split(",")) {
        String env = name.strip();
        if (!env.isEmpty() && !out.contains(env)) {
          out.add(env);
        }
      }
    }
    return out.isEmpty() ? List.of(selected) : List.copyOf(out);
  }

  /**
   * Writes the manifests of each of {@code environments} (from {@link #environments}) under its
   * {@code <kubernetes><outputDirectory>}, in that order: each exactly as {@link #run(EffectiveConfig, BuildLog)}
   * writes it alone (its own directory, stamp, decision and log line). The migration scripts are hashed once for
   * environments that share their locations.
   */
  public static List<Result> run(Configuration all, List<String> environments, BuildLog log) {
    Map<List<Object>, String> migrations = new HashMap<>();
    List<Result> out = new ArrayList<>();
    for (String env : environments) {
      EffectiveConfig cfg = all.get(env);
      String m = migrations.computeIfAbsent(migrationsKey(cfg), k -> migrationsFingerprint(cfg));
      out.add(run(cfg, cfg.project().basedir().resolve(cfg.kubernetes().outputDirectory()), m, log));
    }
    return out;
  }

  /**
   * Generates, validates and writes the manifests of {@code cfg}'s environment under
   * {@code <kubernetes><outputDirectory>}.
   */
  public static Result run(EffectiveConfig cfg, BuildLog log) {
    return run(cfg, cfg.project().basedir().resolve(cfg.kubernetes().outputDirectory()), log);
  }

  /** Generates, validates and writes the manifests of {@code cfg}'s environment under {@code outputRoot}. */
  public static Result run(EffectiveConfig cfg, Path outputRoot, BuildLog log) {
    return run(cfg, outputRoot, migrationsFingerprint(cfg), log);
  }

  /**
   * The image the manifests run is chosen from {@code image.json}, {@code <image>} and {@code <service>}
   * ({@link ImageChoice#of}): the fingerprint holds those (the file by its bytes), so that deciding that nothing
   * changed neither parses {@code image.json} (Jackson) nor checks the reference (jib-core): the reference was
   * chosen and checked when the stamp was recorded, from the same inputs.
   */
  private static Result run(EffectiveConfig cfg, Path outputRoot, String migrations, BuildLog log) {
    String env = cfg.environment();
    Path dir = outputRoot.resolve(env);
    Path basedir = cfg.project().basedir();
    Path fragmentsDir = basedir.resolve(cfg.kubernetes().fragmentsDirectory());

    String fingerprint = Fingerprint.start()
        .add("generator", GENERATOR_VERSION)
        .add("environment", env)
        .add("project", cfg.project().groupId() + ":" + cfg.project().artifactId() + ":" + cfg.project().version())
        .add("service", cfg.service())
        .add("image", cfg.image())
        .addFile("imageRecord", ImageRecord.file(cfg.project().devpluginDirectory()))
        .add("database", cfg.database())
        .add("cache", cfg.cache())
        .add("kubernetes", cfg.kubernetes())
        .add("secrets", cfg.secrets())
        .add("migrations", migrations)
        .addTree("fragments", fragmentsDir)
        .hex();
    UpToDate stamp = UpToDate.forGoal(cfg.project().devpluginDirectory(), "k8s", env);

    if (stamp.isUpToDate(fingerprint)) {
      List<String> previous = writtenFiles(dir);
      if (previous != null) {
        log.info("Kubernetes manifests for " + env + " are up to date (" + display(basedir, dir) + ", "
            + previous.size() + " objects).");
        return new Result(env, dir, () -> {
          List<HasMetadata> read = readWritten(dir);
          return read != null ? read : render(cfg, ImageChoice.of(cfg), fragmentsDir, migrations, log);
        }, () -> ImageChoice.of(cfg), true, 0);
      }
    }

    ImageChoice image = ImageChoice.of(cfg);
    List<HasMetadata> objects = render(cfg, image, fragmentsDir, migrations, log);
    List<String> names = fileNames(objects);

    int written = 0;
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < objects.size(); i++) {
      String yaml = K8sYaml.write(objects.get(i));
      if (Outputs.writeIfChanged(dir.resolve(names.get(i)), yaml)) {
        written++;
      }
      if (i > 0) {
        all.append("---\n");
      }
      all.append(yaml);
    }
    StringBuilder kustomization = new StringBuilder()
        .append("# Generated by devplugin:k8s for environment ").append(env).append(": kubectl apply -k ")
        .append(display(basedir, dir)).append("\n")
        .append("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
    for (String n : names) {
      kustomization.append("- ").append(n).append('\n');
    }
    if (Outputs.writeIfChanged(dir.resolve(KUSTOMIZATION), kustomization.toString())) {
      written++;
    }
    if (Outputs.writeIfChanged(dir.resolve(ALL_IN_ONE), all.toString())) {
      written++;
    }
    int removed = removeStale(dir, names);
    stamp.record(fingerprint);
    log.info("Kubernetes manifests for " + env + ": " + objects.size() + " objects in " + display(basedir, dir)
        + " (" + written + " files written" + (removed > 0 ? ", " + removed + " stale removed" : "") + "); image "
        + image.reference() + " from " + image.source() + ".");
    return new Result(env, dir, () -> objects, () -> image, false, written);
  }

  /**
   * Generates, merges, finishes and validates the objects without writing anything.
   *
   * @throws ManifestException listing every problem
   */
  public static List<HasMetadata> render(EffectiveConfig cfg, ImageChoice image, Path fragmentsDir,
      String migrationsFingerprint, BuildLog log) {
    ManifestGenerator generator = new ManifestGenerator(cfg, image);
    List<HasMetadata> generated = generator.generate();
    if (!cfg.kubernetes().networkPolicy().enabled()) {
      log.warn("No NetworkPolicy for " + cfg.service().name() + " in environment " + cfg.environment()
          + " (<kubernetes><networkPolicy><enabled>false): " + cfg.kubernetes().networkPolicy().disabledReason()
          + ". Its pods accept and open any connection.");
    }
    Set<Problem> problems = new LinkedHashSet<>(generator.problems());
    List<Problem> loadProblems = new ArrayList<>();
    List<Fragments.Fragment> fragments = Fragments.load(fragmentsDir, cfg.environment(), cfg.project().basedir(),
        loadProblems);
    problems.addAll(loadProblems);
    Fragments.Result merged = Fragments.merge(cfg, generated, fragments);
    problems.addAll(merged.problems());
    if (!problems.isEmpty()) {
      throw new ManifestException(cfg.environment(), List.copyOf(problems));
    }
    if (!fragments.isEmpty()) {
      log.info("Merged " + fragments.size() + " fragment document(s) from " + display(cfg.project().basedir(),
          fragmentsDir) + ".");
    }
    List<HasMetadata> objects = merged.objects();
    ManifestGenerator.finish(cfg, objects, migrationsFingerprint);
    ManifestValidator.Report report = new ManifestValidator(cfg, objects, merged.origins()).validate();
    for (String w : report.warnings()) {
      log.warn(w);
    }
    if (!report.errors().isEmpty()) {
      throw new ManifestException(cfg.environment(), report.errors());
    }
    if (!cfg.image().allowMutableTags() && !image.hasDigest()) {
      log.warn("Image " + image.reference() + " (from " + image.source() + ") is not pinned by digest; run"
          + " devplugin:image before devplugin:k8s so target/devplugin/image.json pins it.");
    }
    return objects;
  }

  /**
   * The files of a previous run, as its {@code kustomization.yaml} lists them (plain text: no YAML or Kubernetes
   * model is loaded), or null when that file, {@code manifests.yaml} or any listed file is missing or unreadable
   * (then everything is generated again).
   */
  static List<String> writtenFiles(Path dir) {
    Path kustomization = dir.resolve(KUSTOMIZATION);
    if (!Files.isRegularFile(dir.resolve(ALL_IN_ONE)) || !Files.isRegularFile(kustomization)) {
      return null;
    }
    try {
      List<String> out = new ArrayList<>();
      boolean resources = false;
      for (String line : Files.readAllLines(kustomization)) {
        if (line.equals("resources:")) {
          resources = true;
        } else if (resources && line.startsWith("- ")) {
          String name = line.substring(2).strip();
          if (!Files.isRegularFile(dir.resolve(name))) {
            return null;
          }
          out.add(name);
        } else if (resources) {
          break;
        }
      }
      return out.isEmpty() ? null : out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The objects of a previous run, from {@code manifests.yaml}, or null when any written file is missing or
   * unreadable (then everything is generated again).
   */
  static List<HasMetadata> readWritten(Path dir) {
    Path all = dir.resolve(ALL_IN_ONE);
    if (!Files.isRegularFile(all) || !Files.isRegularFile(dir.resolve(KUSTOMIZATION))) {
      return null;
    }
    try {
      // in K8sYaml, so that verifying this class loads none of Jackson's (deciding that nothing changed needs none)
      List<HasMetadata> out = K8sYaml.typedDocuments(Files.readString(all));
      for (String n : fileNames(out)) {
        if (!Files.isRegularFile(dir.resolve(n))) {
          return null;
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code deployment-notes.yaml}: kind and name, lower case. */
  public static List<String> fileNames(List<HasMetadata> objects) {
    List<String> out = new ArrayList<>();
    for (HasMetadata o : objects) {
      out.add(o.getKind().toLowerCase(Locale.ROOT) + "-" + o.getMetadata().getName() + ".yaml");
    }
    return out;
  }

  /** What {@link #migrationsFingerprint} reads of a configuration (the project directory aside). */
  private static List<Object> migrationsKey(EffectiveConfig cfg) {
    return List.of(cfg.database().enabled(), List.copyOf(cfg.database().locations()));
  }

  /** A hash of the migration scripts, so that new scripts give the migration Job a new name. */
  public static String migrationsFingerprint(EffectiveConfig cfg) {
    Fingerprint f = Fingerprint.start();
    migrationDirectories(cfg).forEach((location, p) -> {
      if (p != null) {
        addContents(f, location, p);
      } else {
        f.add("location", location);
      }
    });
    return f.hex();
  }

  /**
   * The migration locations {@link #migrationsFingerprint} reads, in order, each with its directory in the project
   * (null for a location read by its name only); none when the database is disabled.
   */
  private static Map<String, Path> migrationDirectories(EffectiveConfig cfg) {
    Map<String, Path> out = new java.util.LinkedHashMap<>();
    if (cfg.database().enabled()) {
      for (String location : cfg.database().locations()) {
        Path p = null;
        if (location.startsWith("filesystem:")) {
          p = cfg.project().basedir().resolve(location.substring("filesystem:".length()));
        } else if (location.startsWith("classpath:")) {
          p = cfg.project().basedir().resolve("src/main/resources").resolve(location.substring("classpath:".length()));
        }
        out.put(location, p);
      }
    }
    return out;
  }

  /**
   * What deciding that {@code result}'s environment was up to date read besides the configuration: the files
   * ({@code image.json}, the stamp) and the directory trees (the output directory, the fragments, the migrations),
   * for a {@link io.github.devplugin.core.Recheck} of that decision.
   */
  public static void decisionInputs(EffectiveConfig cfg, Result result, List<Path> files, List<Path> trees) {
    Path devplugin = cfg.project().devpluginDirectory();
    files.add(ImageRecord.file(devplugin));
    files.add(UpToDate.forGoal(devplugin, "k8s", cfg.environment()).stampFile());
    trees.add(result.directory());
    trees.add(cfg.project().basedir().resolve(cfg.kubernetes().fragmentsDirectory()));
    migrationDirectories(cfg).values().stream().filter(java.util.Objects::nonNull).forEach(trees::add);
  }

  /** Relative paths and contents only: the same scripts give the same hash wherever the project lives. */
  private static void addContents(Fingerprint f, String key, Path dir) {
    f.add("location", key);
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        f.add(dir.relativize(file).toString().replace('\\', '/'),
            java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(file))));
      }
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new EnvironmentError("Cannot read the migrations in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static int removeStale(Path dir, List<String> keep) {
    int removed = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".yaml") && !keep.contains(n) && !n.equals(KUSTOMIZATION) && !n.equals(ALL_IN_ONE)) {
          Files.delete(p);
          removed++;
        }
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot remove stale manifests in " + dir + ": " + e.getMessage(), e);
    }
    return removed;
  }

  /**
   * {@code p} relative to {@code basedir}, for messages (here, not in {@link Fragments}: the up-to-date line would
   * load that class, and verifying it loads Jackson's tree classes).
   */
  static String display(Path basedir, Path p) {
    try {
      return basedir.toAbsolutePath().relativize(p.toAbsolutePath()).toString().replace('\\', '/');
    } catch (IllegalArgumentException e) {
      return p.toString();
    }
  }
}
