package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.Json;
import io.github.devplugin.framework.EnvValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a multi-stage {@code Dockerfile} from {@link ImagePlan}s: the {@code build} stage lays the application's
 * layers onto the base in the plan's order (health probe, migrator, dependencies, snapshot dependencies, reactor
 * modules, resources, classes, extra files, writable directories), so that a class change rebuilds one layer and the
 * dependency layers stay cached; then one target per environment ({@code dev} with a debug port, {@code staging},
 * {@code prod}, and any other declared one) sets the same user, entrypoint, environment, ports and labels as the
 * Jib-built image of that environment, plus a {@code HEALTHCHECK} running the probe.
 */
public final class DockerfileGenerator {
  /** The debug port of the {@code dev} target. */
  public static final int DEBUG_PORT = 5005;

  /** The default base when the plan's base is not a registry image (jlink, tar). */
  public static final String FALLBACK_BASE = io.github.devplugin.config.ImageSettings.DEFAULT_FROM;

  private DockerfileGenerator() {}

  /** A staged layer: its directory in the build context and the owner of its files (null: root). */
  public record StagedLayer(String directory, String name, String owner) {}

  /**
   * How the {@code source} mode builds the project inside the build.
   *
   * @param dockerfile the Dockerfile's path relative to the project directory (the build context)
   * @param builderImage the default of {@code ARG BUILDER_IMAGE}
   * @param mavenConfig whether the project has {@code .mvn/} (copied with the POM: it configures the build)
   * @param pluginCoordinates {@code groupId:artifactId:version} of the devplugin whose staged mode lays out the layers
   * @param stagingDirectory where the staged mode stages inside the project ({@code target/devplugin/docker})
   * @param environment the environment whose layers the build stage lays out ({@code -Ddevplugin.env})
   * @param skipTests whether the package step skips the tests
   */
  public record SourceBuild(String dockerfile, String builderImage, boolean mavenConfig, String pluginCoordinates,
      String stagingDirectory, String environment, boolean skipTests) {}

  /** The project directory inside the source mode's build stages. */
  public static final String WORKSPACE = "/workspace";

  /** The maven-dependency-plugin whose {@code go-offline} fills the source mode's dependency stage. */
  public static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

  /** The build secret holding a {@code settings.xml} (mirrors, credentials), mounted for every Maven run. */
  public static final String SETTINGS_SECRET = "maven-settings";

  /** The label devplugin derives from git; the source mode takes it from {@code ARG REVISION}. */
  static final String REVISION_LABEL = ImagePlanner.LABEL_PREFIX + "revision";

  /**
   * The {@code staged} mode: the build stage copies the layers staged next to the Dockerfile (the build context).
   *
   * @param layerPlan the plan whose layers the build stage copies
   * @param targets the plan of each environment, by target name, in order
   * @param layers the staged layers of {@code layerPlan}, in order
   */
  public static String generate(ImagePlan layerPlan, Map<String, ImagePlan> targets, List<StagedLayer> layers) {
    return write(layerPlan, targets, layers, null);
  }

  /**
   * The {@code source} mode: builder stages compile the project (build context: the project directory) and lay out
   * {@code layers} with the staged mode; the build stage copies them from there. The targets are the staged mode's.
   */
  public static String generateSource(ImagePlan layerPlan, Map<String, ImagePlan> targets, List<StagedLayer> layers,
      SourceBuild source) {
    return write(layerPlan, targets, layers, source);
  }

  private static String write(ImagePlan layerPlan, Map<String, ImagePlan> targets, List<StagedLayer> layers,
      SourceBuild source) {
    StringBuilder d = new StringBuilder();
    // jlink and tar bases are files of this machine, which a Dockerfile cannot name
    String unnamed = layerPlan.base() instanceof BaseImage.Jlink ? "a jlink runtime of the build's JDK"
        : layerPlan.base() instanceof BaseImage.Tar ? "a base image tar" : null;
    String base = layerPlan.base() instanceof BaseImage.Registry r ? r.text()
        : layerPlan.base() instanceof BaseImage.Engine e ? e.name()
        : java.util.Objects.requireNonNullElse(
            io.github.devplugin.config.ImageSettings.defaultFrom(layerPlan.settings().javaRelease()), FALLBACK_BASE);
    String target = production(targets).orElse(targets.keySet().iterator().next());
    d.append("# syntax=docker/dockerfile:1\n");
    if (source == null) {
      d.append("# Generated by devplugin:dockerfile from the build plan of devplugin:image; do not edit, run\n");
      d.append("# `mvn package` again. The build context is this directory (the staged layers below).\n");
      d.append("#   podman build --format docker --target prod -t ").append(layerPlan.primaryReference())
          .append(" target/devplugin/docker\n");
      d.append("#   docker build --target dev --build-arg BASE_IMAGE=").append(base)
          .append(" -t ").append(layerPlan.primaryReference()).append(" target/devplugin/docker\n");
    } else {
      d.append("# Generated by devplugin:dockerfile (<image><dockerfile><mode>source</mode>) from the build plan of\n");
      d.append("# devplugin:image; do not edit, run `mvn package` again after changing the POM. The build context is\n");
      d.append("# the project directory: the sources are compiled inside the build (no Maven or JDK needed outside).\n");
      d.append("#   docker build -f ").append(source.dockerfile()).append(" --target ").append(target).append(" -t ")
          .append(layerPlan.primaryReference()).append(" .\n");
      d.append("#   podman build --format docker -f ").append(source.dockerfile()).append(" --target ").append(target)
          .append(" -t ").append(layerPlan.primaryReference()).append(" .\n");
      d.append("# Build arguments: BUILDER_IMAGE, BASE_IMAGE, MAVEN_ARGS (extra Maven arguments)");
      if (layerPlan.labels().containsKey(REVISION_LABEL)) {
        d.append(", REVISION (the commit)");
      }
      d.append(".\n# Repository mirrors or credentials: --secret id=").append(SETTINGS_SECRET)
          .append(",src=$HOME/.m2/settings.xml\n");
    }
    if (unnamed != null) {
      d.append("# devplugin:image uses ").append(unnamed)
          .append(", which a Dockerfile cannot name: BASE_IMAGE defaults to ").append(base).append(".\n");
    }
    if (source != null) {
      d.append("ARG BUILDER_IMAGE=").append(source.builderImage()).append("\n");
    }
    d.append("ARG BASE_IMAGE=").append(base).append("\n\n");
    String from = "";
    if (source != null) {
      builderStages(d, source);
      from = "--from=package " + WORKSPACE + "/" + source.stagingDirectory() + "/";
    }
    d.append("# build: the application in layers, least often changing first; a class change rebuilds only the\n");
    d.append("# classes layer, the dependency layers stay cached\n");
    d.append("FROM ${BASE_IMAGE} AS build\n");
    for (StagedLayer l : layers) {
      d.append("# ").append(l.name()).append("\n");
      d.append("COPY ");
      if (l.owner() != null) {
        d.append("--chown=").append(l.owner()).append(" ");
      }
      d.append(from).append(l.directory()).append("/ /\n");
    }
    d.append("WORKDIR ").append(layerPlan.workingDirectory()).append("\n");
    for (Map.Entry<String, ImagePlan> t : targets.entrySet()) {
      ImagePlan p = t.getValue();
      String name = t.getKey();
      d.append("\n# ").append(name).append(": the configuration of environment '").append(name).append("'");
      d.append(name.equals("dev") ? ", plus a debug port (" + DEBUG_PORT + ")\n" : "\n");
      d.append("FROM build AS ").append(name).append("\n");
      Map<String, String> env = new LinkedHashMap<>(p.environment());
      List<String> ports = new ArrayList<>(p.portNames());
      List<String> entrypoint = p.entrypoint();
      if (name.equals("dev")) {
        entrypoint = withDebugAgent(entrypoint, DEBUG_PORT);
        ports.add(DEBUG_PORT + "/tcp");
      }
      if (!env.isEmpty()) {
        d.append("ENV");
        env.forEach((k, v) -> d.append(" \\\n    ").append(k).append("=").append(quote(v)));
        d.append("\n");
      }
      d.append("EXPOSE ").append(String.join(" ", ports)).append("\n");
      boolean revisionArg = source != null && p.labels().containsKey(REVISION_LABEL);
      if (revisionArg) {
        // a committed Dockerfile outlives the commit it was generated at: the pipeline passes its own
        d.append("ARG REVISION=").append(p.labels().get(REVISION_LABEL)).append("\n");
      }
      if (!p.labels().isEmpty()) {
        d.append("LABEL");
        p.labels().forEach((k, v) -> d.append(" \\\n    ").append(k).append("=")
            .append(revisionArg && k.equals(REVISION_LABEL) ? "\"${REVISION}\"" : quote(v)));
        d.append("\n");
      }
      d.append("USER ").append(p.user()).append("\n");
      d.append("HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ")
          .append(json(p.healthCheck())).append("\n");
      d.append("ENTRYPOINT ").append(json(entrypoint)).append("\n");
    }
    return d.toString();
  }

  /**
   * The JDWP agent listening on {@code port} of every interface, as a JVM flag of the service's own command line
   * ({@code java <agent> ...}). Never in {@code JAVA_TOOL_OPTIONS}: every JVM of the container reads that, the
   * {@code HEALTHCHECK}'s probe included, which would then fail to bind the same port.
   */
  public static String debugAgent(int port) {
    return "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:" + port;
  }

  /** {@code entrypoint} ({@code java ...}) with {@link #debugAgent} as its first JVM flag. */
  public static List<String> withDebugAgent(List<String> entrypoint, int port) {
    List<String> out = new ArrayList<>(entrypoint);
    out.add(1, debugAgent(port));
    return List.copyOf(out);
  }

  /** The first target whose plan is of a production environment ({@link ImagePlan#production()}). */
  private static java.util.Optional<String> production(Map<String, ImagePlan> targets) {
    return targets.entrySet().stream().filter(t -> t.getValue().production()).map(Map.Entry::getKey).findFirst();
  }

  /** The source mode's {@code dependencies} and {@code package} stages. */
  private static void builderStages(StringBuilder d, SourceBuild source) {
    String mvn = "RUN --mount=type=secret,id=" + SETTINGS_SECRET + ",target=/root/.m2/settings.xml \\\n    mvn -B ";
    d.append("# dependencies: the POM and .mvn/ only, so that a change of the sources reuses this stage: every plugin\n");
    d.append("# and dependency of the build (devplugin's too) in the builder's local repository, /root/.m2/repository\n");
    d.append("FROM ${BUILDER_IMAGE} AS dependencies\n");
    d.append("ARG MAVEN_ARGS=\"\"\n");
    d.append("WORKDIR ").append(WORKSPACE).append("\n");
    d.append("COPY pom.xml ./\n");
    if (source.mavenConfig()) {
      d.append("COPY .mvn/ .mvn/\n");
    }
    d.append(mvn).append(DEPENDENCY_PLUGIN).append(":go-offline\n\n");
    d.append("# package: compiles and packages the sources with devplugin's goals skipped, then devplugin's staged\n");
    d.append("# mode lays out the image's layers (").append(source.stagingDirectory())
        .append("/layers/), exactly as devplugin:image has them\n");
    d.append("FROM dependencies AS package\n");
    d.append("ARG MAVEN_ARGS=\"\"\n");
    d.append("COPY . .\n");
    d.append(mvn).append("-Ddevplugin.skip=true").append(source.skipTests() ? " -DskipTests" : "")
        .append(" package\n");
    d.append(mvn).append(source.pluginCoordinates()).append(":dockerfile -Ddevplugin.env=")
        .append(source.environment()).append(" -D")
        .append(OverrideProperties.property("image.dockerfile.mode").orElseThrow()).append("=staged\n\n");
  }

  /**
   * The source mode's ignore file ({@code <Dockerfile>.dockerignore}, which Docker BuildKit and Podman read for
   * that Dockerfile): keeps build output, version control and local secrets out of the project-directory context.
   */
  public static String sourceDockerignore(String dockerfile) {
    return "# Generated by devplugin:dockerfile: the build context of " + dockerfile + " is the project\n"
        + "# directory; build output, version control and local secrets stay out of it\n"
        + "target\n**/target\n.git\n.env\n.env.*\n**/.env\n**/.env.*\n";
  }

  /** The {@code .dockerignore}: the context holds exactly what the Dockerfile copies. */
  public static String dockerignore() {
    return "# Generated by devplugin:dockerfile: the context is the staged layers only\n*\n!layers/\n";
  }

  /** The staged directory name of a layer: its position and name, e.g. {@code layers/04-dependencies}. */
  public static String directory(int index, FileEntriesLayer layer) {
    return String.format(Locale.ROOT, "layers/%02d-%s", index + 1,
        layer.getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
  }

  /**
   * {@code value} as one double-quoted word of {@code ENV} or {@code LABEL} ({@link EnvValues.Syntax#DOCKERFILE}).
   * Control characters other than tab cannot be written faithfully: the configuration refuses them when it is
   * loaded ({@link EnvValues#controlCharacter}), so meeting one here is a bug.
   */
  static String quote(String value) {
    EnvValues.controlCharacter(value).ifPresent(c -> {
      throw new IllegalArgumentException("a Dockerfile value cannot hold " + c + ": " + value);
    });
    return "\"" + EnvValues.Syntax.DOCKERFILE.escape(value) + "\"";
  }

  private static String json(List<String> list) {
    try {
      return Json.mapper().writer().without(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(list);
    } catch (RuntimeException e) {
      throw new IllegalStateException(e);
    }
  }
}
