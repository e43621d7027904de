package io.github.devplugin.compose;

import io.github.devplugin.config.Environments;
import static io.github.devplugin.compose.ComposeFragments.cast;
import static io.github.devplugin.compose.ComposeFragments.literals;
import static io.github.devplugin.compose.ComposeFragments.ordered;
import static io.github.devplugin.compose.ComposeGenerator.DEV_OVERRIDE_FILE;
import static io.github.devplugin.compose.ComposeGenerator.MIGRATE;
import static io.github.devplugin.compose.ComposeGenerator.POSTGRES;
import static io.github.devplugin.compose.ComposeGenerator.REDIS;

import io.github.devplugin.compose.ComposeServices.Stack;
import io.github.devplugin.config.ComposeSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Quantities;
import io.github.devplugin.config.ServiceConfig;
import io.github.devplugin.framework.Launch;
import io.github.devplugin.image.DockerfileGenerator;
import io.github.devplugin.image.ImageLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The override files over {@code docker-compose.yml}: the dev override (debug port, class mounts, published
 * database ports) and, per other environment, what its stack changes (images, environment, restart policy,
 * resource limits, the Dockerfile target).
 */
final class ComposeOverrides {
  /**
   * The Dockerfile targets {@code devplugin:dockerfile} always writes: an environment of this name builds its own
   * target.
   */
  static final List<String> STANDARD_DOCKERFILE_TARGETS = Environments.STANDARD;

  /** The Dockerfile target of every other environment: the production one. */
  static final String PRODUCTION_DOCKERFILE_TARGET = Environments.PRODUCTION;

  private static final String APP_CLASSPATH = ImageLayout.APP_ROOT + "/resources:" + ImageLayout.APP_ROOT
      + "/classes:" + ImageLayout.APP_ROOT + "/libs/*";

  private static final String SAME_SERVICES_FIX = "set <database><enabled>, <cache><enabled> and <compose><tools>"
      + " alike in every environment, and keep <service><name>.";

  private ComposeOverrides() {}

  /** {@code docker-compose.override.yml}: what only dev has. */
  static Map<String, Object> dev(Generation g, EffectiveConfig dev) {
    ServiceConfig svc = dev.service();
    ComposeSettings cs = dev.compose();
    Map<String, Object> services = new LinkedHashMap<>();
    Map<String, Object> app = new LinkedHashMap<>();
    boolean fastJar = svc.framework().profile().launch().kind() == Launch.Kind.FAST_JAR;
    if (cs.debug()) {
      String main = svc.mainClass() != null ? svc.mainClass() : g.in.mainClass();
      if (main == null && !fastJar) {
        g.note("No debug port in " + DEV_OVERRIDE_FILE + ": the main class is unknown. Set"
            + " <service><mainClass>, or give the jar a Main-Class manifest entry.");
      } else {
        // the image's command with the agent on the command line, once: not in JAVA_TOOL_OPTIONS, which the health
        // probe (a JVM too) would read and fail to bind the same port; the entrypoint replaces the image's (also
        // the Dockerfile's dev target, which has the agent on its own command line)
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add("java");
        entrypoint.addAll(svc.jvmFlags());
        if (fastJar) {
          entrypoint.add("-jar");
          entrypoint.add(ImageLayout.APP_ROOT + "/" + svc.framework().profile().launch().runnerJar());
        } else {
          entrypoint.add("-cp");
          entrypoint.add(APP_CLASSPATH);
          entrypoint.add(main);
        }
        app.put("entrypoint", literals(DockerfileGenerator.withDebugAgent(entrypoint, cs.debugPort())));
        app.put("ports", List.of("127.0.0.1:" + g.vars.ref("DEBUG_PORT", String.valueOf(cs.debugPort())) + ":"
            + cs.debugPort()));
      }
    }
    if (cs.mountClasses() && !fastJar) {
      String classes = g.relative(dev.project().outputDirectory());
      app.put("volumes", List.of(classes + ":" + ImageLayout.APP_ROOT + "/classes:ro",
          classes + ":" + ImageLayout.APP_ROOT + "/resources:ro"));
    }
    if (!app.isEmpty()) {
      services.put(svc.name(), app);
    }
    if (dev.database().enabled()) {
      services.put(POSTGRES, Map.of("ports", List.of("127.0.0.1:" + g.vars.ref("POSTGRES_PORT",
          String.valueOf(cs.postgresPort())) + ":5432")));
    }
    if (dev.cache().enabled()) {
      services.put(REDIS, Map.of("ports", List.of("127.0.0.1:" + g.vars.ref("REDIS_PORT",
          String.valueOf(cs.redisPort())) + ":6379")));
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("services", services);
    return file;
  }

  /** {@code docker-compose.<env>.yml}: what the stack {@code other} of {@code env} changes in {@code base}. */
  static Map<String, Object> environment(Generation g, EffectiveConfig env, Stack base, Stack other) {
    ServiceConfig svc = env.service();
    String restart = env.compose().restart() != null ? env.compose().restart() : "unless-stopped";
    Map<String, Object> services = new LinkedHashMap<>();
    Map<String, Object> baseServices = cast(base.file().get("services"));
    Map<String, Object> otherServices = cast(other.file().get("services"));
    for (Map.Entry<String, Object> e : otherServices.entrySet()) {
      String name = e.getKey();
      Map<String, Object> service = cast(e.getValue());
      if (!baseServices.containsKey(name)) {
        g.problem("<environments><" + env.environment() + ">", "adds the compose service '" + name + "', which"
            + " the dev stack does not have; an override file can only change the services of docker-compose.yml.",
            SAME_SERVICES_FIX);
        continue;
      }
      Map<String, Object> out = new LinkedHashMap<>();
      String image = other.images().get(name);
      if (image != null && !image.equals(base.images().get(name))) {
        out.put("image", io.github.devplugin.framework.EnvValues.Syntax.COMPOSE.escape(image));
      }
      if (service.containsKey("build")) {
        out.put("build", Map.of("target", dockerfileTarget(env.environment())));
      }
      Map<String, String> envDiff = diff(base.environments().get(name), other.environments().get(name));
      if (!envDiff.isEmpty()) {
        out.put("environment", envDiff);
      }
      boolean tool = service.containsKey("profiles");
      if (!name.equals(MIGRATE) && !tool) {
        out.put("restart", restart);
      }
      if (name.equals(svc.name())) {
        out.put("deploy", Map.of("resources", resources(svc.resources())));
      }
      if (!out.isEmpty()) {
        services.put(name, out);
      }
    }
    for (String name : baseServices.keySet()) {
      if (!otherServices.containsKey(name)) {
        g.problem("<environments><" + env.environment() + ">", "drops the compose service '" + name + "' of the"
            + " dev stack; an override file cannot remove a service.", SAME_SERVICES_FIX);
      }
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("services", services);
    Map<String, Object> baseVolumes = base.file().containsKey("volumes") ? cast(base.file().get("volumes"))
        : Map.of();
    Map<String, Object> volumes = new LinkedHashMap<>();
    if (other.file().containsKey("volumes")) {
      for (String v : ComposeFragments.<Object>cast(other.file().get("volumes")).keySet()) {
        if (!baseVolumes.containsKey(v)) {
          volumes.put(v, Map.of());
        }
      }
    }
    if (!volumes.isEmpty()) {
      file.put("volumes", volumes);
    }
    return file;
  }

  /**
   * The Dockerfile target of an environment: its own for the standard ones, {@link #PRODUCTION_DOCKERFILE_TARGET}
   * for every other.
   */
  static String dockerfileTarget(String environment) {
    return STANDARD_DOCKERFILE_TARGETS.contains(environment) ? environment : PRODUCTION_DOCKERFILE_TARGET;
  }

  /** Entries of {@code other} that differ from {@code base}; entries only {@code base} has become empty. */
  private static Map<String, String> diff(Map<String, String> base, Map<String, String> other) {
    Map<String, String> out = new LinkedHashMap<>();
    if (other == null) {
      return out;
    }
    Map<String, String> b = base == null ? Map.of() : base;
    for (Map.Entry<String, String> e : other.entrySet()) {
      if (!Objects.equals(b.get(e.getKey()), e.getValue())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    for (String k : b.keySet()) {
      if (!other.containsKey(k)) {
        out.put(k, "");
      }
    }
    return out;
  }

  private static Map<String, Object> resources(ServiceConfig.Resources r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("limits", ordered("cpus", cpus(r.cpuLimit()), "memory", memory(r.memoryLimit())));
    out.put("reservations", ordered("cpus", cpus(r.cpuRequest()), "memory", memory(r.memoryRequest())));
    return out;
  }

  /** Kubernetes CPU ({@code 500m}) as Compose cpus ({@code 0.5}). */
  static String cpus(String quantity) {
    return Quantities.amount(quantity).stripTrailingZeros().toPlainString();
  }

  /** Kubernetes memory ({@code 512Mi}) as a Compose byte value ({@code 512m}; Compose's units are binary). */
  static String memory(String quantity) {
    BigDecimal bytes = Quantities.amount(quantity).setScale(0, RoundingMode.CEILING);
    String[] units = {"g", "m", "k"};
    long[] sizes = {1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      BigDecimal[] qr = bytes.divideAndRemainder(BigDecimal.valueOf(sizes[i]));
      if (qr[1].signum() == 0) {
        return qr[0].toPlainString() + units[i];
      }
    }
    return bytes.toPlainString() + "b";
  }
}
