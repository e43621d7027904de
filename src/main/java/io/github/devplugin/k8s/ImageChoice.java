package io.github.devplugin.k8s;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.image.ImagePlanner;
import io.github.devplugin.image.ImageRecord;
import java.util.Optional;

/**
 * The image a deployment runs and where that choice came from: the digest-pinned reference of
 * {@code target/devplugin/image.json} when the {@code image} goal ran, else {@code <image><to>}, else
 * {@code <name>:<version>}.
 *
 * @param reference the image reference written into the manifests
 * @param source where it came from, for log lines and error messages
 */
public record ImageChoice(String reference, String source) {

  /**
   * The choice, its reference checked with the image goal's parser and rules ({@link ImagePlanner#destination},
   * {@link ImagePlanner#checkReference}): a reference the image goal would refuse is never written.
   */
  public static ImageChoice of(EffectiveConfig config) {
    ImageChoice choice = choose(config);
    ImagePlanner.checkReference(choice.reference(), choice.source());
    return choice;
  }

  private static ImageChoice choose(EffectiveConfig config) {
    Optional<ImageRecord> record = ImageRecord.read(ImageRecord.file(config.project().devpluginDirectory()));
    String ignored = "";
    if (record.isPresent() && record.get().reference() != null && !record.get().reference().isBlank()) {
      if (record.get().isFor(config.environment())) {
        return new ImageChoice(record.get().reference(), "target/devplugin/image.json");
      }
      ignored = "; image.json holds the image of environment " + record.get().environment() + ", not "
          + config.environment();
    }
    String to = config.image().to();
    if (to != null) {
      ImagePlanner.Destination destination = ImagePlanner.destination(config.image(), config.service());
      String last = to.substring(to.lastIndexOf('/') + 1);
      if (destination.tag() == null && !last.contains(":")) {
        // the image goal tags a tag-less <to> with the version first (tag strategy 'version')
        return new ImageChoice(to + ":" + config.service().version(),
            "<image><to> with the tag <service><version>" + ignored);
      }
      return new ImageChoice(to, "<image><to>" + ignored);
    }
    return new ImageChoice(config.service().name() + ":" + config.service().version(),
        "<service><name>:<service><version> (no image.json, no <image><to>" + ignored + ")");
  }

  /** True when the reference pins a digest ({@code repo@sha256:...}). */
  public boolean hasDigest() {
    return reference.contains("@sha256:");
  }

  /** The tag, or null when there is none (after the last '/', after ':'; digest removed). */
  public String tag() {
    String r = reference;
    int at = r.indexOf('@');
    if (at >= 0) {
      r = r.substring(0, at);
    }
    int slash = r.lastIndexOf('/');
    int colon = r.indexOf(':', slash + 1);
    return colon < 0 ? null : r.substring(colon + 1);
  }

  /**
   * True for references that may point at different images over time and are not pinned by digest: no tag (means
   * {@code latest}), {@code latest}, or a {@code -SNAPSHOT} tag.
   */
  public boolean isMutable() {
    if (hasDigest()) {
      return false;
    }
    String tag = tag();
    return tag == null || tag.equals("latest") || tag.endsWith("-SNAPSHOT");
  }
}
