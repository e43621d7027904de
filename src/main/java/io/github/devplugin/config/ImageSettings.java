package io.github.devplugin.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code <image>} element: how the container image is built and where it goes.
 *
 * @param from base image reference ({@code registry/repo:tag@sha256:...}, {@code tar:///path}, ...)
 * @param to target image reference; null means "not configured" (the image goal then writes a tar)
 * @param tags extra tags besides the one in {@code to}
 * @param insecure allow plain-HTTP registries (loopback registries are always allowed)
 * @param user numeric user the process runs as
 * @param allowMutableTags false refuses {@code latest} and {@code -SNAPSHOT} tags (the {@code prod} default)
 */
public record ImageSettings(String from, String to, Target target, Format format, List<String> tags,
    boolean insecure, List<String> platforms, String user, boolean allowMutableTags, Map<String, String> labels,
    String serverId, String fromServerId) {

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
  }

  /** Default base image: a current Eclipse Temurin 17 JRE. */
  public static final String DEFAULT_FROM = "eclipse-temurin:17-jre";

  static ImageSettings from(Section s, String environment) {
    String from = s.string("from", DEFAULT_FROM);
    String to = s.string("to", null);
    Target target = s.choice("target", Target.class, to == null ? Target.TAR : Target.REGISTRY);
    Format format = s.choice("format", Format.class, Format.DOCKER);
    List<String> tags = s.list("tags", "tag", List.of());
    boolean insecure = s.bool("insecure", false);
    List<String> platforms = s.list("platforms", "platform", List.of("linux/amd64"));
    for (String p : platforms) {
      if (!p.matches("[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?")) {
        s.problem("platforms", "'" + p + "' is not a platform.", "use os/architecture, e.g. linux/amd64 or linux/arm64.");
      }
    }
    String user = s.string("user", "10001");
    if (user != null && !user.matches("\\d+(:\\d+)?")) {
      s.problem("user", "'" + user + "' is not a numeric user; Kubernetes runAsNonRoot can only verify numeric ids.",
          "use a number, e.g. <user>10001</user> (or 10001:10001 for user:group).");
    } else if (user != null && (user.equals("0") || user.startsWith("0:"))) {
      s.problem("user", "the image would run as root.", "use a non-zero user id, e.g. 10001.");
    }
    boolean allowMutableTags = s.bool("allowMutableTags", !"prod".equals(environment));
    Map<String, String> labels = new TreeMap<>();
    s.map("labels").forEach((k, v) -> labels.put(k, v.text()));
    String serverId = s.string("serverId", null);
    String fromServerId = s.string("fromServerId", null);
    return new ImageSettings(from, to, target, format, tags, insecure, platforms, user, allowMutableTags, labels,
        serverId, fromServerId);
  }
}
