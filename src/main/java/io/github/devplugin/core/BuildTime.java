package io.github.devplugin.core;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The time a reproducible build stamps on what it writes (the image's creation time and its files' modification
 * times), in this order:
 * <ol>
 *   <li>the POM's {@code project.build.outputTimestamp} (the property Maven's own plugins use for reproducible jars:
 *       ISO-8601 such as {@code 2024-01-01T00:00:00Z}, or seconds since the epoch; a single character other than a
 *       digit, as Maven's archiver reads it, means "not set");</li>
 *   <li>the {@code SOURCE_DATE_EPOCH} environment variable (seconds since the epoch, reproducible-builds.org);</li>
 *   <li>none: the image keeps jib's fixed times (creation at the epoch, files at 1970-01-01T00:00:01Z).</li>
 * </ol>
 * Either way identical inputs give identical digests.
 */
public final class BuildTime {
  /** The Maven property. */
  public static final String OUTPUT_TIMESTAMP = "project.build.outputTimestamp";

  /** The environment variable. */
  public static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

  private BuildTime() {}

  /**
   * @throws UserError when the value that applies is not a time, naming where it came from
   */
  public static Optional<Instant> resolve(String outputTimestamp, String sourceDateEpoch) {
    if (outputTimestamp != null && !outputTimestamp.isBlank()
        && !(outputTimestamp.strip().length() < 2 && !outputTimestamp.strip().matches("\\d"))) {
      return Optional.of(parse(outputTimestamp.strip(), "The POM property " + OUTPUT_TIMESTAMP, true));
    }
    if (sourceDateEpoch != null && !sourceDateEpoch.isBlank()) {
      return Optional.of(parse(sourceDateEpoch.strip(), "The environment variable " + SOURCE_DATE_EPOCH, false));
    }
    return Optional.empty();
  }

  private static Instant parse(String value, String source, boolean isoAllowed) {
    if (value.matches("\\d+")) {
      return Instant.ofEpochSecond(Long.parseLong(value));
    }
    if (isoAllowed) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    throw new UserError(source + " is '" + value + "', which is not a time. Fix: use "
        + (isoAllowed ? "an ISO-8601 time with offset such as 2024-01-01T00:00:00Z, or " : "") + "seconds since"
        + " 1970-01-01T00:00:00Z, e.g. 1704067200.");
  }
}
