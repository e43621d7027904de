package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.UpToDate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image goal's inputs stamp: the raw inputs, hashed once per run, joined with the last build's stamp. */
class ImageGoalInputsTest {
  @TempDir
  Path dir;

  @Test
  void theInputsStampNeedsALastBuildAndChangesWithItOrWithTheRawInputs() throws Exception {
    UpToDate lastBuild = UpToDate.forGoal(dir, "image", null);
    Path record = ImageRecord.file(dir);
    Files.writeString(record, "{\"reference\":\"r/x@sha256:1\"}");
    String raw = "a".repeat(64);
    assertThat(ImageGoal.inputsFingerprint(raw, lastBuild, record)).isNull(); // no build yet: nothing to be up to date with
    lastBuild.record("build 1");
    String first = ImageGoal.inputsFingerprint(raw, lastBuild, record);
    assertThat(first).isNotNull().isEqualTo(ImageGoal.inputsFingerprint(raw, lastBuild, record));
    assertThat(ImageGoal.inputsFingerprint(null, lastBuild, record)).isNull(); // an engine's base: never up to date by inputs
    assertThat(ImageGoal.inputsFingerprint("b".repeat(64), lastBuild, record)).isNotEqualTo(first);
    lastBuild.record("build 2");
    String second = ImageGoal.inputsFingerprint(raw, lastBuild, record);
    assertThat(second).isNotEqualTo(first);
    // image.json is not parsed when the inputs stamp decides: its bytes are in the stamp
    Files.writeString(record, "{\"reference\":\"r/x@sha256:2\"}");
    assertThat(ImageGoal.inputsFingerprint(raw, lastBuild, record)).isNotEqualTo(second);
  }

  @Test
  void theStampsNoteIsGivenOnlyWhenTheFingerprintMatches() {
    UpToDate stamp = UpToDate.forGoal(dir, "image", "inputs");
    assertThat(stamp.noteIfUpToDate("f1")).isEmpty();
    stamp.record("f1", "r/x@sha256:1");
    assertThat(stamp.noteIfUpToDate("f1")).contains("r/x@sha256:1");
    assertThat(stamp.noteIfUpToDate("f2")).isEmpty();
    assertThat(stamp.isUpToDate("f1")).isFalse(); // a stamp with a note is read with its note only
    stamp.record("f1");
    assertThat(stamp.noteIfUpToDate("f1")).isEmpty(); // a stamp without a note: the image goal parses image.json
    stamp.record("f1", "two\nlines");
    assertThat(stamp.noteIfUpToDate("f1")).isEmpty();
  }
}
