package io.github.devplugin.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code <image>} element: how the container image is built and where it goes.
 *
 * @param from base image reference ({@code registry/repo:tag@sha256:...}, {@code tar:///path}, {@code docker://name}
 *     for an image of the local engine, or {@code jlink}); unset, the runtime image of the project's Java release
 *     ({@link #defaultFrom}); null when that release has none (the image goals then fail naming {@code <from>})
 * @param to target image reference; null means "not configured" (the image goal then writes a tar)
 * @param target registry (default when {@code to} is set), tar (default otherwise) or engine
 * @param format Docker (default) or OCI manifests
 * @param tags extra tags besides the one in {@code to}
 * @param insecure allow plain-HTTP registries; null means "not configured" (loopback registries are allowed then)
 * @param platforms {@code os/arch} platforms to build
 * @param user numeric user the process runs as ({@code uid} or {@code uid:gid})
 * @param allowMutableTags false refuses {@code latest} and {@code -SNAPSHOT} tags (the {@code prod} default)
 * @param labels extra image labels (override the OCI labels devplugin sets)
 * @param serverId settings.xml server holding the credentials of the target registry
 * @param fromServerId settings.xml server holding the credentials of the base image's registry
 * @param tagStrategy the tags derived from the build: {@code version}, {@code git-sha}, {@code latest}
 * @param tarFile the tar written by the tar target
 * @param writableDirectories directories created owned by {@link #user()}; everything else is root-owned, read-only
 * @param extraDirectories directories whose content is copied to the image root (confined to the project directory)
 * @param allowOutsideProject entries of {@code extraDirectories} that may lie outside the project directory (an
 *     explicit, logged opt-in)
 * @param credHelper a Docker credential helper ({@code docker-credential-NAME} or a path) for the registries
 * @param jlinkModules modules of the {@code jlink} base
 * @param dockerHost the Docker Engine API of the engine target; null: found by {@code image.EngineDiscovery}
 *     (DOCKER_HOST, Docker context, CONTAINER_HOST, the Docker and Podman sockets)
 * @param dockerfile how {@code devplugin:dockerfile} writes the Dockerfile ({@code <dockerfile>})
 * @param javaRelease the Java release the project compiles for ({@link ProjectInfo#javaRelease()}), or null
 * @param scan how {@code devplugin:scan} gates the image ({@code <scan>})
 */
public record ImageSettings(String from, String to, Target target, Format format, List<String> tags,
    Boolean insecure, List<String> platforms, String user, boolean allowMutableTags, Map<String, String> labels,
    String serverId, String fromServerId, List<String> tagStrategy, String tarFile, List<String> writableDirectories,
    List<String> extraDirectories, List<String> allowOutsideProject, String credHelper, List<String> jlinkModules,
    String dockerHost, DockerfileSettings dockerfile, Integer javaRelease, ScanSettings scan) {

  /** Where the image goes. */
  public enum Target {
    REGISTRY, TAR, ENGINE
  }

  /** Image manifest format. */
  public enum Format {
    DOCKER, OCI
  }

  public ImageSettings {
    tags = List.copyOf(tags);
    platforms = List.copyOf(platforms);
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    tagStrategy = List.copyOf(tagStrategy);
    writableDirectories = List.copyOf(writableDirectories);
    extraDirectories = List.copyOf(extraDirectories);
    allowOutsideProject = List.copyOf(allowOutsideProject);
    jlinkModules = List.copyOf(jlinkModules);
  }

  /** Default base image of a project that names no Java release: a current Eclipse Temurin 17 JRE. */
  public static final String DEFAULT_FROM = "eclipse-temurin:17-jre";

  /** The Java releases with a default base image (Eclipse Temurin's LTS JREs). */
  public static final List<Integer> BASE_RELEASES = List.of(17, 21, 25);

  /**
   * The default base image of a Java release: the Eclipse Temurin JRE of the first LTS release at or above it
   * ({@code eclipse-temurin:21-jre} for 21, also for 18 to 20); 17 when the release is unknown; null for a release
   * above the newest LTS (no known base).
   */
  public static String defaultFrom(Integer javaRelease) {
    if (javaRelease == null) {
      return DEFAULT_FROM;
    }
    return BASE_RELEASES.stream().filter(r -> r >= javaRelease).findFirst().map(r -> "eclipse-temurin:" + r + "-jre")
        .orElse(null);
  }

  /** The error of a Java release without a default base: names {@code <image><from>} and the fix. */
  public static String noDefaultBase(Integer javaRelease) {
    return "The project compiles for Java " + javaRelease + " (maven.compiler.release), and devplugin knows no"
        + " base image for it (known: Java " + BASE_RELEASES.stream().map(String::valueOf)
        .collect(java.util.stream.Collectors.joining(", ")) + "). Fix: set "
        + OverrideProperties.setting("image.from", "eclipse-temurin:" + javaRelease + "-jre")
        + " to a runtime image of Java " + javaRelease + " or newer, or <from>jlink</from> with a JDK "
        + javaRelease + ".";
  }

  /** The default {@code <extraDirectories>} entry: silently skipped when it does not exist (any other is an error). */
  public static final String DEFAULT_EXTRA_DIRECTORY = "src/main/image";

  /** The base built from the build's own JDK with {@code jlink}: needs no registry and no network. */
  public static final String JLINK = "jlink";

  /**
   * Modules of the {@code jlink} base unless {@code <jlinkModules>} says otherwise; {@code jdk.jfr} because
   * frameworks load it (Micronaut's Netty server fails every request with {@code NoClassDefFoundError: jdk/jfr/Event}
   * without it), as a Temurin JRE has it.
   */
  public static final List<String> DEFAULT_JLINK_MODULES = List.of("java.se", "jdk.crypto.ec", "jdk.httpserver",
      "jdk.jdwp.agent", "jdk.jfr", "jdk.management", "jdk.unsupported", "jdk.zipfs");

  /** The tags the build derives: the project version, the git short SHA, {@code latest}. */
  public static final List<String> TAG_STRATEGIES = List.of("version", "git-sha", "latest");

  /** Docker's tag grammar. */
  public static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  /** True when the configured plain-HTTP setting allows the given registry: configured, or loopback if unset. */
  public boolean allowsInsecure(boolean loopback) {
    return insecure == null ? loopback : insecure;
  }

  /** The numeric user and group, e.g. {@code 10001:10001} (the group defaults to the user id). */
  public String userAndGroup() {
    return user.contains(":") ? user : user + ":" + user;
  }


  static ImageSettings from(Section s, String environment, Integer javaRelease) {
    String from = s.string("from", defaultFrom(javaRelease));
    if (from != null && from.startsWith("tar://") && !from.startsWith("tar:///")) {
      s.problem("from", "'" + from + "' is not an absolute tar path.", "write tar:///absolute/path/base.tar.");
    }
    String to = s.string("to", null);
    Target target = s.choice("target", Target.class, to == null ? Target.TAR : Target.REGISTRY);
    Format format = s.choice("format", Format.class, Format.DOCKER);
    List<String> tags = s.list("tags", "tag", List.of());
    for (String t : tags) {
      if (!TAG.matcher(t).matches()) {
        s.problem("tags", "'" + t + "' is not a valid image tag (letters, digits, '_', '.', '-', at most 128, not"
            + " starting with '.' or '-').", "fix " + OverrideProperties.setting("image.tags")
            + ", e.g. 1.0.0 or main-abc1234.");
      }
    }
    Boolean insecure = s.isSet("insecure") ? s.bool("insecure", false) : null;
    if (insecure == null) {
      s.bool("insecure", false);
    }
    List<String> platforms = s.list("platforms", "platform", List.of("linux/amd64"));
    for (String p : platforms) {
      if (!p.matches("[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?")) {
        s.problem("platforms", "'" + p + "' is not a platform.", "use os/architecture, e.g. linux/amd64 or linux/arm64.");
      }
    }
    if (platforms.isEmpty()) {
      s.problem("platforms", "no platform is given.", "list at least one, e.g. <platform>linux/amd64</platform>.");
    }
    String user = s.string("user", "10001");
    if (user != null && !user.matches("\\d+(:\\d+)?")) {
      s.problem("user", "'" + user + "' is not a numeric user; Kubernetes runAsNonRoot can only verify numeric ids.",
          "use a number, e.g. <user>10001</user> (or 10001:10001 for user:group).");
    } else if (user != null && (user.equals("0") || user.startsWith("0:"))) {
      s.problem("user", "the image would run as root.", "use a non-zero user id, e.g. 10001.");
    }
    boolean allowMutableTags = s.bool("allowMutableTags", !Environments.isProduction(environment));
    Map<String, String> labels = new TreeMap<>();
    s.map("labels").forEach((k, v) -> {
      java.util.Optional<String> control = io.github.devplugin.framework.EnvValues.controlCharacter(v.text());
      if (control.isPresent()) {
        s.problem(v, "holds " + control.get() + ", which a Dockerfile LABEL cannot carry faithfully.",
            io.github.devplugin.framework.EnvValues.CONTROL_FIX);
      } else {
        labels.put(k, v.text());
      }
    });
    String serverId = s.string("serverId", null);
    String fromServerId = s.string("fromServerId", null);
    List<String> tagStrategy = s.list("tagStrategy", "strategy", List.of("version"));
    for (String t : tagStrategy) {
      if (!TAG_STRATEGIES.contains(t)) {
        s.problem("tagStrategy", "'" + t + "' is not a tag strategy.",
            "use any of " + String.join(", ", TAG_STRATEGIES) + ", e.g. <tagStrategy>version,git-sha</tagStrategy>.");
      }
    }
    String tarFile = s.string("tarFile", null);
    List<String> writable = s.list("writableDirectories", "directory", List.of());
    for (String d : writable) {
      if (!d.startsWith("/") || d.equals("/") || d.contains("..")) {
        s.problem("writableDirectories", "'" + d + "' is not an absolute directory below /.",
            "use absolute paths like /var/lib/app.");
      }
    }
    List<String> extra = s.list("extraDirectories", "directory", List.of(DEFAULT_EXTRA_DIRECTORY));
    List<String> outside = s.list("allowOutsideProject", "directory", List.of());
    for (String d : outside) {
      if (!extra.contains(d)) {
        s.problem("allowOutsideProject", "'" + d + "' is not one of <extraDirectories> " + extra + ".",
            "list exactly an entry of <extraDirectories>, spelled the same, or remove it.");
      }
    }
    String credHelper = s.string("credHelper", null);
    List<String> jlinkModules = s.list("jlinkModules", "module", DEFAULT_JLINK_MODULES);
    for (String m : jlinkModules) {
      if (!m.matches("[A-Za-z][\\w.]*")) {
        s.problem("jlinkModules", "'" + m + "' is not a module name.", "use module names like java.se.");
      }
    }
    String dockerHost = s.string("dockerHost", null);
    if (dockerHost != null && !dockerHost.matches("(unix://|tcp://).+")) {
      s.problem("dockerHost", "'" + dockerHost + "' is not a Docker Engine address.",
          "use unix:///var/run/docker.sock, unix://$XDG_RUNTIME_DIR/podman/podman.sock or tcp://host:2375.");
    }
    if (target == Target.REGISTRY && to == null) {
      s.problem("to", "the registry target needs a target image.",
          "set " + OverrideProperties.setting("image.to", "registry.example.com/team/app") + ", or use "
              + OverrideProperties.setting("image.target", "tar") + ".");
    }
    if (platforms.size() > 1 && target == Target.ENGINE) {
      s.problem("platforms", "a local engine holds one platform of an image, not " + platforms.size() + ".",
          "build one platform for the engine target, or push the multi-platform image to a registry or an OCI tar.");
    }
    if (platforms.size() > 1 && target == Target.TAR && format == Format.DOCKER && s.isSet("format")) {
      s.problem("format", "a Docker-format tar holds one platform, not " + platforms.size() + ".",
          "use <format>oci</format> for a multi-platform OCI image-index tar.");
    }
    if (platforms.size() > 1 && target == Target.REGISTRY && format == Format.OCI) {
      s.problem("format", "multi-platform pushes are Docker manifest lists; jib-core cannot push an OCI index.",
          "use <format>docker</format> (the default), or <target>tar</target> for an OCI image-index tar.");
    }
    if (JLINK.equals(from) && platforms.size() > 1) {
      s.problem("from", "the jlink base is built from this machine's JDK and has its platform only.",
          "use one platform with the jlink base, or a multi-platform base image for several.");
    }
    DockerfileSettings dockerfile = DockerfileSettings.from(s.section("dockerfile"));
    ScanSettings scan = ScanSettings.from(s.section("scan"), environment);
    return new ImageSettings(from, to, target, format, tags, insecure, platforms, user, allowMutableTags, labels,
        serverId, fromServerId, tagStrategy, tarFile, writable, extra, outside, credHelper, jlinkModules, dockerHost,
        dockerfile, javaRelease, scan);
  }
}
