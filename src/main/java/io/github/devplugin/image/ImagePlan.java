package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import io.github.devplugin.config.ImageSettings;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything both image goals build from: the base, the application layers in order, and the container
 * configuration, parsed once by {@link ImagePlanner}. {@code image} gives it to jib-core; {@code dockerfile} writes it
 * as {@code COPY}/{@code ENV}/... instructions, so the two cannot drift apart.
 *
 * @param base the base image: registry, tar, engine or jlink
 * @param repository target repository without tag ({@code registry/team/app} or {@code app} for tars and engines)
 * @param target the primary target reference ({@code repository:primaryTag}), parsed
 * @param tags every tag, the primary first
 * @param layers application layers, least often changing first (probe, migrator, dependencies, ..., classes)
 * @param ports exposed ports, the service's port first
 * @param platforms the platforms to build, in {@code <image><platforms>} order
 * @param user {@code uid:gid}
 * @param healthCheck the in-image probe of the framework's liveness probe (HTTP path or TCP, on the management port
 *     when separate), as the Dockerfile's {@code HEALTHCHECK} runs it
 * @param production whether the plan's environment is a production one ({@link
 *     io.github.devplugin.config.EffectiveConfig#isProduction()})
 */
public record ImagePlan(BaseImage base, String repository, ImageReference target, List<String> tags,
    List<FileEntriesLayer> layers, List<String> entrypoint, Map<String, String> environment, List<Port> ports,
    List<Platform> platforms, Map<String, String> labels, String user, String workingDirectory, String mainClass,
    ImageSettings settings, int port, List<String> healthCheck, boolean production) {

  public ImagePlan {
    tags = List.copyOf(tags);
    layers = List.copyOf(layers);
    entrypoint = List.copyOf(entrypoint);
    healthCheck = List.copyOf(healthCheck);
    environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
    ports = List.copyOf(ports);
    platforms = List.copyOf(platforms);
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** {@code repository:primaryTag}, as messages and the Dockerfile spell it. */
  public String primaryReference() {
    return repository + ":" + tags.get(0);
  }

  /** The ports as {@code 8080/tcp}, in order. */
  public List<String> portNames() {
    return ports.stream().map(ImagePlan::portName).toList();
  }

  /** {@code 8080/tcp}. */
  public static String portName(Port p) {
    return p.getPort() + "/" + p.getProtocol();
  }

  /** {@code linux/amd64}. */
  public static String platformName(Platform p) {
    return p.getOs() + "/" + p.getArchitecture();
  }
}
