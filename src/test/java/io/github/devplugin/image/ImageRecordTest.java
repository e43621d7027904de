package io.github.devplugin.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.devplugin.core.EnvironmentError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image.json: what {@link ImageRecord#write} writes, {@link ImageRecord#read} (a streaming parser) reads back. */
class ImageRecordTest {
  @TempDir
  Path dir;

  @Test
  void readsBackWhatWasWritten() {
    ImageRecord r = new ImageRecord("reg/notes", List.of("1.0.0", "latest"), "sha256:aa", "sha256:bb",
        "reg/notes@sha256:aa", "registry", null, List.of("linux/amd64", "linux/arm64"), "prod");
    Path file = ImageRecord.file(dir);
    r.write(file);
    assertEquals(r, ImageRecord.read(file).orElseThrow());
    ImageRecord tar = new ImageRecord("notes", List.of(), null, "sha256:cc", "notes:1", "tar", "target/x.tar",
        List.of(), null);
    tar.write(file);
    assertEquals(tar, ImageRecord.read(file).orElseThrow());
  }

  @Test
  void isWrittenAsJacksonWritesTheRecord() {
    // ImageRecord.text() writes without Jackson; Json.write is the reference (and was the writer before)
    for (ImageRecord r : List.of(
        new ImageRecord("reg/notes", List.of("1.0.0", "latest"), "sha256:aa", "sha256:bb", "reg/notes@sha256:aa",
            "registry", null, List.of("linux/amd64", "linux/arm64"), "prod"),
        new ImageRecord("notes", List.of(), null, "sha256:cc", "notes:1", "tar", "target/x \"y\".tar", List.of(),
            null))) {
      assertEquals(io.github.devplugin.core.Json.write(r), r.text());
    }
  }

  @Test
  void skipsUnknownFieldsAndAbsentOnesAreNull() {
    ImageRecord r = ImageRecord.parse("{\"future\":{\"a\":[1,{\"b\":2}]},\"image\":\"i\",\"more\":[3],"
        + "\"reference\":\"i:1\",\"count\":4}");
    assertEquals(new ImageRecord("i", List.of(), null, null, "i:1", null, null, List.of(), null), r);
  }

  @Test
  void aFileThatIsNoRecordNamesTheFileAndTheFix() throws Exception {
    Path file = ImageRecord.file(dir);
    Files.writeString(file, "[\"not\", \"an\", \"object\"]");
    EnvironmentError e = assertThrows(EnvironmentError.class, () -> ImageRecord.read(file));
    assertTrue(e.getMessage().contains("image.json") && e.getMessage().contains("run devplugin:image again"),
        e.getMessage());
    Files.writeString(file, "{\"image\": {\"nested\": true}, \"tags\": [{\"x\": 1}]}");
    assertThrows(EnvironmentError.class, () -> ImageRecord.read(file));
    assertTrue(ImageRecord.read(dir.resolve("absent.json")).isEmpty());
  }
}
