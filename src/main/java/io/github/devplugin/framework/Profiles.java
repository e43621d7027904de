package io.github.devplugin.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile of each framework: what its documentation says it reads and serves. Every name here was checked
 * against the framework's documentation or its jars:
 * <ul>
 *   <li>Spring Boot: Actuator's probe groups at {@code /actuator/health/liveness} and {@code /readiness}, enabled
 *       outside Kubernetes by {@code management.endpoint.health.probes.enabled}; relaxed binding turns
 *       {@code server.port}, {@code spring.datasource.*}, {@code spring.data.redis.*} (Boot 3+; {@code spring.redis.*}
 *       before), {@code spring.flyway.enabled}, {@code server.shutdown} and {@code management.server.port} into the
 *       upper-case names; spring-boot-maven-plugin leaves devtools, docker-compose support and testcontainers support
 *       out of the repackaged jar, whose {@code Start-Class} names the application.</li>
 *   <li>Quarkus: SmallRye Health at {@code /q/health/live}, {@code /ready}, {@code /started}; {@code quarkus.http.port},
 *       {@code quarkus.datasource.jdbc.url}/{@code username}/{@code password}, {@code quarkus.redis.hosts},
 *       {@code quarkus.flyway.migrate-at-start}, {@code quarkus.shutdown.timeout}; fast-jar
 *       {@code quarkus-app/quarkus-run.jar}.</li>
 *   <li>Micronaut: micronaut-management's {@code /health}, {@code /health/liveness}, {@code /health/readiness};
 *       {@code micronaut.server.port}, {@code datasources.default.*}, {@code redis.uri},
 *       {@code flyway.datasources.default.enabled}, {@code micronaut.lifecycle.graceful-shutdown.enabled} (4.9+).</li>
 * </ul>
 */
public final class Profiles {
  private Profiles() {}

  /** Spring Boot's launchers: the repackaged jar's {@code Main-Class}, which needs the fat jar's layout. */
  public static final List<String> SPRING_BOOT_LAUNCHERS = List.of(
      "org.springframework.boot.loader.launch.JarLauncher", "org.springframework.boot.loader.JarLauncher",
      "org.springframework.boot.loader.launch.PropertiesLauncher", "org.springframework.boot.loader.PropertiesLauncher",
      "org.springframework.boot.loader.launch.WarLauncher", "org.springframework.boot.loader.WarLauncher");

  /** Quarkus' fast-jar entry point ({@code Main-Class} of {@code quarkus-run.jar}). */
  public static final String QUARKUS_ENTRY_POINT = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

  /** The graceful shutdown time given to frameworks that take one: below Kubernetes' default grace of 30 s. */
  public static final int SHUTDOWN_SECONDS = 20;

  /** What the project tells about the service besides its framework. */
  public record Inputs(List<Dependency> dependencies, List<BuildPlugin> plugins, Map<String, String> properties,
      Map<String, String> applicationProperties, Map<String, String> serviceEnv, String healthPath,
      boolean healthPathSet) {

    public Inputs {
      dependencies = List.copyOf(dependencies);
      plugins = List.copyOf(plugins);
      properties = Map.copyOf(properties);
      applicationProperties = Map.copyOf(applicationProperties);
      serviceEnv = Map.copyOf(serviceEnv);
    }

    boolean has(String groupId, String... artifactIds) {
      for (Dependency d : dependencies) {
        if (d.groupId().equals(groupId) && List.of(artifactIds).contains(d.artifactId())) {
          return true;
        }
      }
      return false;
    }

    String pluginSetting(String groupId, String artifactId, String key) {
      for (BuildPlugin p : plugins) {
        if (p.groupId().equals(groupId) && p.artifactId().equals(artifactId)) {
          return usable(p.configuration().get(key));
        }
      }
      return null;
    }

    String property(String key) {
      return usable(properties.get(key));
    }
  }

  /** The profile of the detected (or chosen) framework. */
  public static FrameworkProfile of(Detection detection, Inputs in) {
    FrameworkProfile p = switch (detection.framework()) {
      case SPRING_BOOT -> springBoot(detection, in);
      case QUARKUS -> quarkus(detection, in);
      case MICRONAUT -> micronaut(detection, in);
      case PLAIN -> plain(detection, in);
    };
    if (in.healthPathSet() && detection.framework() != Framework.PLAIN) {
      Probe user = Probe.http(in.healthPath());
      List<String> notes = new ArrayList<>(p.notes());
      notes.add("<service><healthPath> " + in.healthPath() + " is used for every probe instead of the framework's.");
      return new FrameworkProfile(p.framework(), p.version(), user, user, user, p.managementPort(), p.variables(),
          p.environment(), p.migrationEnvironment(), p.excludedArtifacts(), p.launch(), notes);
    }
    return p;
  }

  private static FrameworkProfile springBoot(Detection d, Inputs in) {
    String boot = "org.springframework.boot";
    boolean actuator = in.has(boot, "spring-boot-starter-actuator", "spring-boot-actuator",
        "spring-boot-actuator-autoconfigure");
    List<String> notes = new ArrayList<>();
    Map<String, String> env = new TreeMap<>();
    env.put("SERVER_SHUTDOWN", "graceful");
    Probe live;
    Probe ready;
    if (actuator) {
      live = Probe.managementHttp("/actuator/health/liveness");
      ready = Probe.managementHttp("/actuator/health/readiness");
      env.put("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true");
    } else {
      live = Probe.tcp();
      ready = Probe.tcp();
      notes.add("no Spring Boot Actuator: the probes only check that the port accepts connections; add"
          + " spring-boot-starter-actuator for /actuator/health/liveness and /readiness.");
    }
    Integer managementPort = port(in.serviceEnv().get("MANAGEMENT_SERVER_PORT"));
    if (managementPort == null) {
      managementPort = port(in.applicationProperties().get("management.server.port"));
    }
    boolean boot2 = d.majorVersion() == 2;
    String redis = boot2 ? "SPRING_REDIS_" : "SPRING_DATA_REDIS_";
    Variables vars = new Variables("SERVER_PORT", "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
        "SPRING_DATASOURCE_PASSWORD", null, redis + "HOST", redis + "PORT");
    String configured = in.pluginSetting(boot, "spring-boot-maven-plugin", "mainClass");
    if (configured == null) {
      configured = in.property("start-class");
    }
    return new FrameworkProfile(Framework.SPRING_BOOT, d.version(), live, ready, live, managementPort, vars, env,
        Map.of("SPRING_FLYWAY_ENABLED", "false"),
        List.of(boot + ":spring-boot-devtools", boot + ":spring-boot-docker-compose",
            boot + ":spring-boot-testcontainers"),
        Launch.classpath("Start-Class", configured, SPRING_BOOT_LAUNCHERS), notes);
  }

  private static FrameworkProfile quarkus(Detection d, Inputs in) {
    boolean health = in.has("io.quarkus", "quarkus-smallrye-health");
    List<String> notes = new ArrayList<>();
    Probe live;
    Probe ready;
    Probe started;
    if (health) {
      live = Probe.http("/q/health/live");
      ready = Probe.http("/q/health/ready");
      started = Probe.http("/q/health/started");
    } else {
      live = Probe.tcp();
      ready = Probe.tcp();
      started = Probe.tcp();
      notes.add("no quarkus-smallrye-health: the probes only check that the port accepts connections; add"
          + " io.quarkus:quarkus-smallrye-health for /q/health/live and /q/health/ready.");
    }
    Variables vars = new Variables("QUARKUS_HTTP_PORT", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
        "QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_REDIS_HOSTS", null, null);
    return new FrameworkProfile(Framework.QUARKUS, d.version(), live, ready, started, null, vars,
        Map.of("QUARKUS_SHUTDOWN_TIMEOUT", SHUTDOWN_SECONDS + "s"),
        Map.of("QUARKUS_FLYWAY_MIGRATE_AT_START", "false"), List.of(),
        new Launch(Launch.Kind.FAST_JAR, "Main-Class", null, QUARKUS_ENTRY_POINT, List.of(), "quarkus-app",
            "quarkus-run.jar"),
        notes);
  }

  private static FrameworkProfile micronaut(Detection d, Inputs in) {
    boolean management = in.has("io.micronaut", "micronaut-management");
    List<String> notes = new ArrayList<>();
    Probe live;
    Probe ready;
    if (management) {
      live = Probe.http("/health/liveness");
      ready = Probe.http("/health/readiness");
    } else {
      live = Probe.tcp();
      ready = Probe.tcp();
      notes.add("no micronaut-management: the probes only check that the port accepts connections; add"
          + " io.micronaut:micronaut-management for /health/liveness and /health/readiness.");
    }
    Map<String, String> env = new TreeMap<>();
    if (atLeast(d.version(), 4, 9)) {
      env.put("MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_ENABLED", "true");
    } else {
      notes.add("graceful shutdown needs Micronaut 4.9 or later (micronaut.lifecycle.graceful-shutdown.enabled);"
          + " version " + (d.version() == null ? "unknown" : d.version()) + " stops immediately.");
    }
    Variables vars = new Variables("MICRONAUT_SERVER_PORT", "DATASOURCES_DEFAULT_URL", "DATASOURCES_DEFAULT_USERNAME",
        "DATASOURCES_DEFAULT_PASSWORD", "REDIS_URI", null, null);
    return new FrameworkProfile(Framework.MICRONAUT, d.version(), live, ready, live, null, vars, env,
        Map.of("FLYWAY_DATASOURCES_DEFAULT_ENABLED", "false"), List.of(),
        Launch.classpath("Main-Class", in.property("exec.mainClass"), List.of()), notes);
  }

  private static FrameworkProfile plain(Detection d, Inputs in) {
    Probe health = Probe.http(in.healthPath());
    Variables vars = new Variables("PORT", "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "REDIS_URL", null,
        null);
    return new FrameworkProfile(Framework.PLAIN, d.version(), health, health, health, null, vars, Map.of(), Map.of(),
        List.of(), Launch.classpath("Main-Class", null, List.of()), List.of());
  }

  /** A value usable as is: not blank and not an unresolved {@code ${...}} expression. */
  private static String usable(String v) {
    return v == null || v.isBlank() || v.contains("${") ? null : v.trim();
  }

  private static Integer port(String value) {
    String v = usable(value);
    if (v == null) {
      return null;
    }
    try {
      int p = Integer.parseInt(v);
      return p > 0 && p <= 65535 ? p : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean atLeast(String version, int major, int minor) {
    if (version == null) {
      return false;
    }
    String[] parts = version.split("[.\\-]");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma > major || (ma == major && mi >= minor);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
