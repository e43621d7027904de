package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.UpToDate;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image goal's inputs stamp: the raw inputs, hashed once per run, joined with the last build's stamp. */
class ImageGoalInputsTest {
  @TempDir
  Path dir;

  @Test
  void theInputsStampNeedsALastBuildAndChangesWithItOrWithTheRawInputs() {
    UpToDate lastBuild = UpToDate.forGoal(dir, "image", null);
    String raw = "a".repeat(64);
    assertThat(ImageGoal.inputsFingerprint(raw, lastBuild)).isNull(); // no build yet: nothing to be up to date with
    lastBuild.record("build 1");
    String first = ImageGoal.inputsFingerprint(raw, lastBuild);
    assertThat(first).isNotNull().isEqualTo(ImageGoal.inputsFingerprint(raw, lastBuild));
    assertThat(ImageGoal.inputsFingerprint(null, lastBuild)).isNull(); // an engine's base: never up to date by inputs
    assertThat(ImageGoal.inputsFingerprint("b".repeat(64), lastBuild)).isNotEqualTo(first);
    lastBuild.record("build 2");
    assertThat(ImageGoal.inputsFingerprint(raw, lastBuild)).isNotEqualTo(first);
  }
}
