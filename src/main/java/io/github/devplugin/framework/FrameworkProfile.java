package io.github.devplugin.framework;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a framework needs from the image, the Dockerfile, compose and Kubernetes so that the service runs without
 * configuration: probes, the variable names through which it receives its settings, extra environment, artifacts to
 * leave out of the image and how it is launched.
 *
 * @param liveness the liveness probe
 * @param readiness the readiness probe
 * @param startup the startup probe
 * @param managementPort the port of the management endpoints when separate from the service's port, else null
 * @param variables the names through which the service receives its port, database and Redis
 * @param environment variables always set for the framework (probe groups, graceful shutdown), sorted by name
 * @param migrationEnvironment variables set when devplugin's migrate step owns the migrations (turning off the
 *     framework's own migration at start-up), sorted by name
 * @param excludedArtifacts {@code groupId:artifactId} of dependencies left out of the image (development-only
 *     artifacts, as the framework's own packaging leaves them out)
 * @param launch how the service starts
 * @param notes what devplugin cannot do for this service and why (e.g. no health endpoint, so TCP probes)
 */
public record FrameworkProfile(Framework framework, String version, Probe liveness, Probe readiness, Probe startup,
    Integer managementPort, Variables variables, Map<String, String> environment,
    Map<String, String> migrationEnvironment, List<String> excludedArtifacts, Launch launch, List<String> notes) {

  public FrameworkProfile {
    environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
    migrationEnvironment = java.util.Collections.unmodifiableMap(new TreeMap<>(migrationEnvironment));
    excludedArtifacts = List.copyOf(excludedArtifacts);
    notes = List.copyOf(notes);
  }

  /** True when {@code dependency} must be left out of the image. */
  public boolean excludes(Dependency dependency) {
    return excludedArtifacts.contains(dependency.key());
  }

  /**
   * The environment the framework adds: {@link #environment} plus, when {@code migrationsOwnedByDevplugin},
   * {@link #migrationEnvironment}; sorted by name.
   */
  public Map<String, String> environment(boolean migrationsOwnedByDevplugin) {
    Map<String, String> out = new TreeMap<>(environment);
    if (migrationsOwnedByDevplugin) {
      out.putAll(migrationEnvironment);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The same profile with the variable names the user chose ({@code <service><variables>}). */
  public FrameworkProfile withVariables(Variables chosen) {
    return new FrameworkProfile(framework, version, liveness, readiness, startup, managementPort, chosen, environment,
        migrationEnvironment, excludedArtifacts, launch, notes);
  }

  /**
   * The variable through which the framework takes the longest time it spends shutting down gracefully, or null
   * (Quarkus: {@code quarkus.shutdown.timeout}; Spring Boot: {@code spring.lifecycle.timeout-per-shutdown-phase},
   * which applies with {@code server.shutdown=graceful}).
   */
  public String shutdownTimeoutVariable() {
    return switch (framework) {
      case QUARKUS -> "QUARKUS_SHUTDOWN_TIMEOUT";
      case SPRING_BOOT -> "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE";
      default -> null;
    };
  }

  /**
   * The service's own environment, the same for the image, the Dockerfile, compose and Kubernetes: the framework's
   * {@link #environment(boolean)}, its graceful shutdown time ({@link #shutdownTimeoutVariable}) set to
   * {@code shutdownSeconds} when given, the user's {@code <service><env>} (which wins over the framework's entries)
   * and the port under {@link Variables#port()}. Values are as the user wrote them: references ({@link EnvValues})
   * are each target's to resolve. Connection values (database, Redis) are not included: each target has its own.
   */
  public Map<String, String> serviceEnvironment(int port, boolean migrationsOwnedByDevplugin, Integer shutdownSeconds,
      Map<String, String> userEnv) {
    Map<String, String> out = new TreeMap<>(environment(migrationsOwnedByDevplugin));
    String shutdown = shutdownTimeoutVariable();
    if (shutdown != null && shutdownSeconds != null) {
      out.put(shutdown, shutdownSeconds + "s");
    }
    out.putAll(userEnv);
    if (variables.port() != null) {
      out.put(variables.port(), String.valueOf(port));
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
