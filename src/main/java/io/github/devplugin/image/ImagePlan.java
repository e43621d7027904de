package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.github.devplugin.config.ImageSettings;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything both image goals build from: the base, the application layers in order, and the container
 * configuration. {@code image} gives it to jib-core; {@code dockerfile} writes it as {@code COPY}/{@code ENV}/...
 * instructions, so the two cannot drift apart.
 *
 * @param base the base image reference, {@code tar://...} or {@link ImageSettings#JLINK}
 * @param repository target repository without tag ({@code registry/team/app} or {@code app} for tars and engines)
 * @param tags every tag, the primary first
 * @param layers application layers, least often changing first (probe, migrator, dependencies, ..., classes)
 * @param ports exposed ports as {@code 8080/tcp}
 * @param user {@code uid:gid}
 */
public record ImagePlan(String base, String repository, List<String> tags, List<FileEntriesLayer> layers,
    List<String> entrypoint, Map<String, String> environment, List<String> ports, Map<String, String> labels,
    String user, String workingDirectory, String mainClass, ImageSettings settings, int port, String healthPath) {

  public ImagePlan {
    tags = List.copyOf(tags);
    layers = List.copyOf(layers);
    entrypoint = List.copyOf(entrypoint);
    environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
    ports = List.copyOf(ports);
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** {@code repository:primaryTag}. */
  public String primaryReference() {
    return repository + ":" + tags.get(0);
  }

  public boolean usesJlinkBase() {
    return ImageSettings.JLINK.equals(base);
  }
}
