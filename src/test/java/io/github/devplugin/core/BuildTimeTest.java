package io.github.devplugin.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BuildTimeTest {
  @Test
  void outputTimestampWinsOverSourceDateEpochWhichWinsOverNothing() {
    assertThat(BuildTime.resolve("2024-01-01T00:00:00Z", "1000")).contains(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(BuildTime.resolve("2024-01-01T02:00:00+02:00", null)).contains(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(BuildTime.resolve("1704067200", null)).contains(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(BuildTime.resolve(null, "1704067200")).contains(Instant.parse("2024-01-01T00:00:00Z"));
    // a single non-digit character means "not set" (Maven's archiver reads it so)
    assertThat(BuildTime.resolve("a", "1000")).contains(Instant.ofEpochSecond(1000));
    assertThat(BuildTime.resolve("", null)).isEmpty();
    assertThat(BuildTime.resolve(null, null)).isEmpty();
  }

  @Test
  void anInvalidValueNamesWhereItCameFrom() {
    assertThatThrownBy(() -> BuildTime.resolve("yesterday", null)).isInstanceOf(UserError.class)
        .hasMessageContaining("project.build.outputTimestamp is 'yesterday'").hasMessageContaining("2024-01-01T00:00:00Z");
    assertThatThrownBy(() -> BuildTime.resolve(null, "2024-01-01")).isInstanceOf(UserError.class)
        .hasMessageContaining("SOURCE_DATE_EPOCH is '2024-01-01'").hasMessageContaining("seconds since");
  }
}
