package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.MainClassFinder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.LayerObject;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.config.ServiceConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.github.devplugin.framework.EnvValues;
import io.github.devplugin.framework.FrameworkProfile;
import io.github.devplugin.framework.Launch;
import io.github.devplugin.framework.Probe;
import io.github.devplugin.probe.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Turns the effective configuration and the build's outputs into an {@link ImagePlan}: main class, layers, tags,
 * labels, environment, ports and user. Pure planning: nothing is pulled or pushed.
 */
public final class ImagePlanner {
  /** OCI annotation keys used as labels. */
  public static final String LABEL_PREFIX = "org.opencontainers.image.";

  /** How messages name the target: {@code <image><to> (-Ddevplugin.image.to)}. */
  static final String TO = OverrideProperties.setting("image.to");

  private ImagePlanner() {}


  public static ImagePlan plan(EffectiveConfig config, ImageInputs inputs, BuildLog log) {
    return plan(config, inputs, log, true);
  }

  /**
   * @param checkTags false to skip the tag rules (the Dockerfile names no tags), true for images that get tagged
   */
  public static ImagePlan plan(EffectiveConfig config, ImageInputs inputs, BuildLog log, boolean checkTags) {
    ImageSettings image = config.image();
    ServiceConfig service = config.service();
    ProjectInfo project = config.project();
    if (!Files.isDirectory(inputs.classesDirectory())) {
      throw new UserError("There are no compiled classes in " + inputs.classesDirectory() + ". Fix: run the image"
          + " goal after compile, e.g. mvn package (it is bound to the package phase).");
    }
    FrameworkProfile profile = service.framework().profile();
    Launch launch = profile.launch();
    ImageInputs app = withoutExcluded(inputs, profile, log);
    BaseImage base = base(image, project);
    String mainClass = launch.kind() == Launch.Kind.FAST_JAR ? launch.fixedMainClass()
        : mainClass(service, launch, app, log);

    Destination destination = destination(image, service);
    String repository = destination.repository();
    String toTag = destination.tag();
    List<String> tags = checkTags ? tags(image, service, inputs.gitRevision(), inputs.gitDirty(), toTag, log)
        : List.of(toTag != null ? toTag : service.version());

    List<FileEntriesLayer> layers = new ArrayList<>();
    Path work = inputs.workDirectory();
    layers.add(probeLayer(work));
    if (!inputs.migratorJars().isEmpty()) {
      layers.add(migratorLayer(inputs.migratorJars()));
    }
    List<String> entrypoint;
    if (launch.kind() == Launch.Kind.FAST_JAR) {
      FastJar fastJar = FastJar.plan(project.buildDirectory(), launch, service.jvmFlags(), log);
      layers.addAll(fastJar.layers());
      entrypoint = fastJar.entrypoint();
    } else {
      ContainerBuildPlan javaPlan = javaPlan(app, service, mainClass);
      for (LayerObject l : javaPlan.getLayers()) {
        FileEntriesLayer layer = (FileEntriesLayer) l;
        if (layer.getEntries().stream().anyMatch(e -> !Files.isDirectory(e.getSourceFile()))) {
          layers.add(layer); // a layer of directories only (no resources) would be an empty layer
        }
      }
      entrypoint = javaPlan.getEntrypoint();
    }
    FileEntriesLayer extra = extraLayer(image, project, log);
    if (extra != null) {
      layers.add(extra);
    }
    FileEntriesLayer writable = writableLayer(image, service, work);
    if (writable != null) {
      layers.add(writable);
    }

    Map<String, String> env = environment(service, profile, log);
    List<Port> ports = new ArrayList<>();
    ports.add(Port.tcp(service.port()));
    if (profile.managementPort() != null && profile.managementPort() != service.port()) {
      ports.add(Port.tcp(profile.managementPort()));
    }
    for (ServiceConfig.PortSpec p : service.ports()) {
      ports.add(Port.parseProtocol(p.number(), p.protocol().toLowerCase(Locale.ROOT)));
    }
    List<Platform> platforms = new ArrayList<>();
    for (String p : image.platforms()) {
      String[] parts = p.split("/"); // os/architecture[/variant], as ImageSettings checked
      platforms.add(new Platform(parts[1], parts[0]));
    }
    Map<String, String> labels = labels(config, inputs.gitRevision());
    ImageReference target = BaseImage.reference(repository + ":" + tags.get(0), TO);
    Probe liveness = profile.liveness();
    List<String> healthCheck = ImageLayout.healthCheckCommand(liveness.port(service.port(), profile.managementPort()),
        liveness);
    return new ImagePlan(base, repository, target, tags, layers, entrypoint, env, ports, platforms, labels,
        image.userAndGroup(), ImageLayout.APP_ROOT, mainClass, image, service.port(), healthCheck,
        config.isProduction());
  }

  /**
   * Where the image goes, parsed by jib's {@link ImageReference} as the image goal pushes it.
   *
   * @param repository {@code [registry/]repository} of {@code <image><to>}, else {@code <service><name>}
   * @param tag the tag {@code <image><to>} names, or null when it names none
   */
  public record Destination(String repository, String tag) {}

  /** {@code <image><to>} parsed and checked (no digest), or the service's name when it is unset. */
  public static Destination destination(ImageSettings image, ServiceConfig service) {
    if (image.to() == null) {
      return new Destination(service.name(), null);
    }
    ImageReference ref = BaseImage.reference(image.to(), TO);
    if (ref.getDigest().isPresent()) {
      throw new UserError("<image><to> '" + image.to() + "' names a digest; a target is named by tags. Fix: drop"
          + " the @sha256:... part.");
    }
    String repository = ref.getRegistry().equals("registry-1.docker.io") && !image.to().startsWith("docker.io")
        ? ref.getRepository() : ref.getRegistry() + "/" + ref.getRepository();
    String tag = !ref.usesDefaultTag() || image.to().endsWith(":latest") ? ref.getTag().orElse(null) : null;
    return new Destination(repository, tag);
  }

  /**
   * Checks an image reference that another goal deploys (k8s, compose) with the same parser and rules as the image
   * goal: jib's {@link ImageReference}.
   *
   * @param source where the reference came from (an element such as {@code <image><to>}, or a file), named in the
   *     error with the fix
   */
  public static void checkReference(String reference, String source) {
    try {
      ImageReference.parse(reference); // jib's grammar; its tag rule is Docker's, as ImageSettings.TAG
    } catch (com.google.cloud.tools.jib.api.InvalidImageReferenceException e) {
      throw new UserError("The image reference '" + reference + "' (from " + source + ") is not a valid image"
          + " reference, and the image goal would refuse it. Fix: correct " + source + " to"
          + " registry.example.com/team/app:tag (lower case repository, tag of letters, digits, '.', '_', '-').");
    }
  }

  /**
   * The base image: {@code <image><from>}, else the runtime image of the project's Java release; the {@code jlink}
   * base must be linkable from this JDK for that release. Checked before anything is written.
   */
  static BaseImage base(ImageSettings image, ProjectInfo project) {
    if (image.from() == null) {
      throw new UserError(ImageSettings.noDefaultBase(project.javaRelease()));
    }
    BaseImage base = BaseImage.parse(image.from());
    if (base instanceof BaseImage.Jlink) {
      JlinkBase.checkRelease(project.javaRelease(), Runtime.version().feature(), System.getProperty("java.home"));
    }
    return base;
  }

  /**
   * The environment the image carries: the service's port in the framework's variable, the framework's own settings
   * of the process (probe groups, graceful shutdown; not the deployment's, such as turning off migrations at start),
   * then {@code <service><env>}, which wins, read by the rule of {@link EnvValues}: literal text as written ({@code $$}
   * a dollar sign), a reference to a value the image carries resolved to it. A value that refers to anything else (a
   * database URL, a secret, a Compose variable: values only a deployment gives) is left out of the image, with a log
   * line; compose and k8s give the service that variable resolved. (A reference to another {@code <env>} entry
   * was refused when the configuration was loaded.)
   */
  static Map<String, String> environment(ServiceConfig service, FrameworkProfile profile, BuildLog log) {
    Map<String, String> own = new LinkedHashMap<>();
    String portVariable = profile.variables().port();
    if (portVariable != null) {
      own.put(portVariable, String.valueOf(service.port()));
    }
    own.putAll(profile.environment(false));
    Map<String, String> env = new LinkedHashMap<>(own);
    own.keySet().removeAll(service.env().keySet());
    Map<String, String> leftOut = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : service.env().entrySet()) {
      EnvValues.Value value = EnvValues.Value.parse(e.getValue());
      List<String> unresolved = new ArrayList<>();
      for (String name : value.references()) {
        if (!own.containsKey(name)) {
          unresolved.add(name);
        }
      }
      if (unresolved.isEmpty()) {
        env.put(e.getKey(), value.render(EnvValues.Syntax.PLAIN, r -> own.get(r.name())));
      } else {
        env.remove(e.getKey());
        leftOut.put(e.getKey(), String.join(", ", unresolved));
      }
    }
    if (!leftOut.isEmpty()) {
      List<String> items = new ArrayList<>();
      leftOut.forEach((k, v) -> items.add(k + " (refers to " + v + ")"));
      log.info("Left out of the image's environment, because they refer to values only a deployment gives (compose"
          + " and k8s set them resolved): " + String.join(", ", items));
    }
    return env;
  }

  /** The inputs without the framework's development-only artifacts (logged by name when any is left out). */
  static ImageInputs withoutExcluded(ImageInputs inputs, FrameworkProfile profile, BuildLog log) {
    List<ImageInputs.Dependency> kept = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (ImageInputs.Dependency d : inputs.dependencies()) {
      if (d.key() != null && profile.excludedArtifacts().contains(d.key())) {
        left.add(d.key());
      } else {
        kept.add(d);
      }
    }
    if (left.isEmpty()) {
      return inputs;
    }
    log.info("Left out of the image (" + profile.framework().label() + " development-only, as its own packaging"
        + " does): " + String.join(", ", left.stream().sorted().toList()));
    return new ImageInputs(inputs.classesDirectory(), kept, inputs.manifest(), inputs.migratorJars(),
        inputs.gitRevision(), inputs.gitDirty(), inputs.buildTime(), inputs.workDirectory());
  }

  /** The suffix of a git-SHA tag built from a work tree with uncommitted changes. */
  public static final String DIRTY_SUFFIX = "-dirty";

  /**
   * The tags to push, the primary first; refuses mutable tags where the environment forbids them. A git-SHA tag of a
   * work tree with uncommitted changes is {@code <sha>-dirty}, and mutable: the same name may later be built from
   * other changes.
   */
  static List<String> tags(ImageSettings image, ServiceConfig service, String gitRevision, boolean gitDirty,
      String toTag, BuildLog log) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (toTag != null) {
      tags.put(toTag, TO);
    }
    for (String strategy : image.tagStrategy()) {
      switch (strategy) {
        case "version" -> tags.putIfAbsent(service.version(), "<service><version> (tag strategy 'version')");
        case "git-sha" -> {
          if (gitRevision == null) {
            log.warn("Tag strategy 'git-sha' gives no tag: " + "this is not a git work tree.");
          } else {
            String sha = gitRevision.substring(0, Math.min(7, gitRevision.length()));
            if (gitDirty) {
              log.warn("The work tree has uncommitted changes: the git-sha tag is " + sha + DIRTY_SUFFIX
                  + ", which is mutable. Commit (or stash) the changes for an immutable tag.");
              tags.putIfAbsent(sha + DIRTY_SUFFIX, "<image><tagStrategy> git-sha, on a work tree with uncommitted"
                  + " changes");
            } else {
              tags.putIfAbsent(sha, "<image><tagStrategy> git-sha");
            }
          }
        }
        case "latest" -> tags.putIfAbsent("latest", "<image><tagStrategy> latest");
        default -> throw new UserError("Unknown tag strategy '" + strategy + "' in <image><tagStrategy>.");
      }
    }
    for (String t : image.tags()) {
      tags.putIfAbsent(t, OverrideProperties.setting("image.tags"));
    }
    if (tags.isEmpty()) {
      throw new UserError("The image would have no tag. Fix: set <image><tagStrategy>version</tagStrategy>, a tag"
          + " in <image><to>, or " + OverrideProperties.setting("image.tags", "1.0.0") + ".");
    }
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (!ImageSettings.TAG.matcher(t.getKey()).matches()) {
        throw new UserError("'" + t.getKey() + "' from " + t.getValue() + " is not a valid image tag (letters,"
            + " digits, '_', '.', '-', at most 128, not starting with '.' or '-'). Fix: change " + t.getValue()
            + ".");
      }
      if (!image.allowMutableTags() && gitDirty && t.getKey().endsWith(DIRTY_SUFFIX)) {
        throw new UserError("Tag '" + t.getKey() + "' from " + t.getValue() + " is mutable, and this environment"
            + " forbids mutable tags: uncommitted changes (modified files, or untracked files that are not ignored)"
            + " would be built under a commit that does not contain them. Fix: commit or stash the changes (git"
            + " status lists them), or set <image><allowMutableTags>true</allowMutableTags> for this environment.");
      }
      if (!image.allowMutableTags() && isMutable(t.getKey())) {
        throw new UserError("Tag '" + t.getKey() + "' from " + t.getValue() + " is mutable, and this environment"
            + " forbids mutable tags (latest, -SNAPSHOT): a deployment must name exactly one image. Fix: release a"
            + " version (no -SNAPSHOT) or tag by git SHA (<image><tagStrategy>git-sha</tagStrategy>), drop"
            + " 'latest', or set <image><allowMutableTags>true</allowMutableTags> for this environment.");
      }
    }
    return List.copyOf(tags.keySet());
  }

  static boolean isMutable(String tag) {
    return tag.equals("latest") || tag.toUpperCase(Locale.ROOT).endsWith("SNAPSHOT");
  }

  /**
   * The main class, in this order: {@code <service><mainClass>}, the framework build plugin's configured main class,
   * the built jar's manifest attribute the framework names ({@code Start-Class} for Spring Boot; launcher classes
   * skipped), then the only class with a main method. Proven to be on the image's class path whatever its source.
   */
  static String mainClass(ServiceConfig service, Launch launch, ImageInputs inputs, BuildLog log) {
    String mainClass;
    String source; // where it came from: named in the log, and in the error when it is not on the class path
    String attribute = manifestAttribute(launch, inputs.manifest());
    if (service.mainClass() != null) {
      mainClass = service.mainClass();
      source = "<service><mainClass>";
    } else if (launch.configuredMainClass() != null) {
      mainClass = launch.configuredMainClass();
      source = "the build's configured main class (spring-boot-maven-plugin <mainClass>, the start-class or"
          + " exec.mainClass property)";
    } else if (attribute != null) {
      mainClass = inputs.manifest().get(attribute);
      source = "the built jar's manifest " + attribute;
    } else {
      mainClass = scan(inputs, log);
      source = "a scan: the only class with a main method in " + inputs.classesDirectory();
    }
    if (!onClasspath(mainClass, inputs)) {
      throw new UserError("The main class " + mainClass + " (from " + source + ") is not on the"
          + " image's class path: no " + mainClass.replace('.', '/') + ".class in " + inputs.classesDirectory()
          + " nor in a runtime dependency, so the image could not start. Fix: set <service><mainClass> to the fully"
          + " qualified name of a class of this project with a main method (e.g. com.example.App)"
          + (source.startsWith("<service>") ? "" : ", or correct " + source) + ".");
    }
    log.info("Main class " + mainClass + " (from " + source + ")");
    return mainClass;
  }

  /** The manifest attribute naming the application (the framework's, then Main-Class), launchers skipped. */
  static String manifestAttribute(Launch launch, Map<String, String> manifest) {
    for (String attribute : new LinkedHashSet<>(List.of(launch.manifestAttribute(), "Main-Class"))) {
      String value = manifest.get(attribute);
      if (value != null && !launch.launcherClasses().contains(value)) {
        return attribute;
      }
    }
    return null;
  }

  /** jib's scan for the one class with a main method. */
  private static String scan(ImageInputs inputs, BuildLog log) {
    MainClassFinder.Result found = findMainClasses(inputs.classesDirectory(), log);
    switch (found.getType()) {
      case MAIN_CLASS_FOUND -> {
        return found.getFoundMainClass();
      }
      case MULTIPLE_MAIN_CLASSES -> throw new UserError("No main class is configured and several classes have a"
          + " main method: " + String.join(", ", found.getFoundMainClasses()) + ". Fix: set <service><mainClass>"
          + " or the jar manifest's <mainClass> (maven-jar-plugin <archive><manifest><mainClass>).");
      default -> throw new UserError("No main class: <service><mainClass> is not set, the jar manifest names none,"
          + " and no class in " + inputs.classesDirectory() + " has a main method. Fix: set <service><mainClass>"
          + "com.example.App</mainClass> (or maven-jar-plugin <archive><manifest><mainClass>).");
    }
  }

  /** jib's scan of {@code classes} for classes with a main method. */
  static MainClassFinder.Result findMainClasses(Path classes, BuildLog log) {
    List<Path> classFiles;
    try (Stream<Path> walk = Files.walk(classes)) {
      classFiles = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    } catch (IOException e) {
      throw new EnvironmentError("Cannot list " + classes + ": " + e.getMessage(), e);
    }
    return MainClassFinder.find(classFiles, e -> log.debug(e.getMessage()));
  }

  private static boolean onClasspath(String className, ImageInputs inputs) {
    String file = className.replace('.', '/') + ".class";
    if (Files.isRegularFile(inputs.classesDirectory().resolve(file))) {
      return true;
    }
    for (ImageInputs.Dependency d : inputs.dependencies()) {
      Path f = d.file();
      if (Files.isDirectory(f) ? Files.isRegularFile(f.resolve(file)) : jarContains(f, file)) {
        return true;
      }
    }
    return false;
  }

  private static boolean jarContains(Path jar, String entry) {
    try (ZipFile z = new ZipFile(jar.toFile())) {
      return z.getEntry(entry) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static ContainerBuildPlan javaPlan(ImageInputs inputs, ServiceConfig service, String mainClass) {
    try {
      JavaContainerBuilder java = JavaContainerBuilder.from(ImageReference.scratch())
          .setAppRoot(ImageLayout.APP_ROOT);
      Path classes = inputs.classesDirectory();
      java.addResources(classes, p -> !p.toString().endsWith(".class") && !Files.isDirectory(p));
      java.addClasses(classes, p -> p.toString().endsWith(".class"));
      List<Path> release = new ArrayList<>();
      List<Path> snapshot = new ArrayList<>();
      List<Path> project = new ArrayList<>();
      List<Path> directories = new ArrayList<>();
      for (ImageInputs.Dependency d : inputs.dependencies()) {
        if (Files.isDirectory(d.file())) {
          directories.add(d.file());
          continue;
        }
        switch (d.kind()) {
          case SNAPSHOT -> snapshot.add(d.file());
          case PROJECT -> project.add(d.file());
          default -> release.add(d.file());
        }
      }
      java.addDependencies(release).addSnapshotDependencies(snapshot).addProjectDependencies(project);
      if (!directories.isEmpty()) {
        java.addToClasspath(directories);
      }
      java.addJvmFlags(service.jvmFlags()).setMainClass(mainClass);
      return java.toContainerBuilder().toContainerBuildPlan();
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read the classpath for the image: " + e.getMessage(), e);
    }
  }

  /** The compiled {@link HealthCheck}, copied from the plugin's own classpath. */
  private static FileEntriesLayer probeLayer(Path work) {
    String resource = HealthCheck.class.getName().replace('.', '/') + ".class";
    Path staged = work.resolve("probe").resolve(resource);
    try (InputStream in = HealthCheck.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new EnvironmentError("The health probe " + resource + " is missing from devplugin's own classpath.");
      }
      io.github.devplugin.core.Outputs.writeIfChanged(staged, in.readAllBytes());
    } catch (IOException e) {
      throw new EnvironmentError("Cannot stage the health probe in " + staged + ": " + e.getMessage(), e);
    }
    return FileEntriesLayer.builder().setName("health probe")
        .addEntry(staged, AbsoluteUnixPath.get(ImageLayout.PROBE_DIR + "/" + resource)).build();
  }

  private static FileEntriesLayer migratorLayer(List<Path> jars) {
    FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName("migrator");
    Set<String> names = new LinkedHashSet<>();
    for (Path jar : jars.stream().sorted().toList()) {
      String name = jar.getFileName().toString();
      if (!names.add(name)) {
        continue;
      }
      b.addEntry(jar, AbsoluteUnixPath.get(ImageLayout.MIGRATOR_DIR + "/" + name));
    }
    return b.build();
  }

  /**
   * Files of {@code <extraDirectories>} at the image root, root-owned, with their own execute bits: a file its owner
   * may execute becomes 755, any other 644, directories 755. Each entry must lie inside the project directory once
   * {@code ..} and symbolic links are resolved, and so must every symbolic link below it (jib copies what a link points
   * to); an entry listed in {@code <allowOutsideProject>} may lie outside, which is logged. A missing entry is an
   * error, except the default {@value ImageSettings#DEFAULT_EXTRA_DIRECTORY}.
   */
  static FileEntriesLayer extraLayer(ImageSettings image, ProjectInfo project, BuildLog log) {
    FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName("extra files");
    boolean any = false;
    Path basedir = project.basedir().toAbsolutePath().normalize();
    for (String d : image.extraDirectories()) {
      Path dir = basedir.resolve(d).normalize();
      String element = "<image><extraDirectories> entry '" + d + "'";
      if (!Files.exists(dir)) {
        if (d.equals(ImageSettings.DEFAULT_EXTRA_DIRECTORY)) {
          continue;
        }
        throw new UserError(element + " does not exist (" + dir + "). Fix: correct the path (relative to the"
            + " project directory " + basedir + "), create the directory, or remove the entry.");
      }
      if (!Files.isDirectory(dir)) {
        throw new UserError(element + " is not a directory (" + dir + "). Fix: name a directory whose content is"
            + " copied to the image root, or remove the entry.");
      }
      try {
        Path root = basedir.toRealPath();
        Path real = dir.toRealPath();
        Path allowed = root;
        if (!real.startsWith(root)) {
          if (!image.allowOutsideProject().contains(d)) {
            throw new UserError(element + " resolves to " + real + ", outside the project directory " + root
                + ": image inputs are confined to the project. Fix: move the files into the project (e.g. "
                + ImageSettings.DEFAULT_EXTRA_DIRECTORY + "), or opt in for this entry with <image>"
                + "<allowOutsideProject><directory>" + d + "</directory></allowOutsideProject>.");
          }
          allowed = real;
          log.warn(element + " resolves to " + real + ", outside the project directory " + root + "; copied"
              + " into the image because <image><allowOutsideProject> lists it.");
        }
        checkLinks(dir, allowed, element);
        JlinkBase.addTree(b, dir, "/");
        any = true;
      } catch (IOException e) {
        throw new EnvironmentError("Cannot read " + element + " (" + dir + "): " + e.getMessage() + ". Fix: make"
            + " it readable by the build, or remove the entry.", e);
      }
    }
    return any ? b.build() : null;
  }

  /** Refuses a symbolic link below {@code dir} that is broken or points outside {@code allowed}. */
  private static void checkLinks(Path dir, Path allowed, String element) throws IOException {
    List<Path> links;
    try (Stream<Path> walk = Files.walk(dir)) {
      links = walk.filter(Files::isSymbolicLink).sorted().toList();
    }
    for (Path link : links) {
      if (!Files.exists(link)) {
        throw new UserError(element + " holds a broken symbolic link " + link + " -> " + Files.readSymbolicLink(link)
            + ". Fix: remove the link or create what it points to.");
      }
      Path target = link.toRealPath();
      if (!target.startsWith(allowed)) {
        throw new UserError(element + " holds the symbolic link " + link + " -> " + target + ", outside "
            + allowed + ": jib would copy that file into the image. Fix: copy the file into the directory instead"
            + " of linking it, or remove the link.");
      }
    }
  }

  /** Directories the process may write to: {@code <writableDirectories>} and every volume's mount path. */
  private static FileEntriesLayer writableLayer(ImageSettings image, ServiceConfig service, Path work) {
    Set<String> dirs = new java.util.TreeSet<>(image.writableDirectories());
    service.volumes().forEach(v -> dirs.add(v.mountPath()));
    if (dirs.isEmpty()) {
      return null;
    }
    Path empty = work.resolve("empty-directory");
    try {
      Files.createDirectories(empty);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot create " + empty + ": " + e.getMessage(), e);
    }
    FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName("writable directories");
    for (String d : dirs) {
      b.addEntry(empty, AbsoluteUnixPath.get(d), FilePermissions.fromOctalString("755"),
          FileEntriesLayer.DEFAULT_MODIFICATION_TIME, image.userAndGroup());
    }
    return b.build();
  }

  static Map<String, String> labels(EffectiveConfig config, String gitRevision) {
    ProjectInfo p = config.project();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_PREFIX + "title", config.service().name());
    labels.put(LABEL_PREFIX + "version", config.service().version());
    if (gitRevision != null) {
      labels.put(LABEL_PREFIX + "revision", gitRevision);
    }
    String source = p.scmUrl() != null ? p.scmUrl() : p.url();
    if (source != null) {
      labels.put(LABEL_PREFIX + "source", source);
    }
    if (p.url() != null) {
      labels.put(LABEL_PREFIX + "url", p.url());
    }
    if (!p.licenses().isEmpty()) {
      labels.put(LABEL_PREFIX + "licenses", String.join(" AND ", p.licenses().stream().map(ImagePlanner::spdx)
          .toList()));
    }
    if (p.description() != null && !p.description().isBlank()) {
      labels.put(LABEL_PREFIX + "description", p.description().strip().replaceAll("\\s+", " "));
    }
    labels.putAll(config.image().labels());
    return labels;
  }

  /** The SPDX identifier of common license names as POMs spell them; other names pass through. */
  static String spdx(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.contains("apache") && n.contains("2")) {
      return "Apache-2.0";
    }
    if (n.equals("mit") || n.contains("mit license")) {
      return "MIT";
    }
    if (n.contains("eclipse public license") && n.contains("2")) {
      return "EPL-2.0";
    }
    if (n.contains("bsd") && n.contains("3")) {
      return "BSD-3-Clause";
    }
    return name.strip();
  }
}
