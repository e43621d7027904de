package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.github.devplugin.sbom.Inventory;
import io.github.devplugin.sbom.SbomWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pieces of {@link IncrementalPush} that need no registry ({@code ImageBuildTest} pushes through it and compares
 * with jib-core's build of the same inputs).
 */
class IncrementalPushTest {
  @TempDir
  Path dir;

  @Test
  void theStateIsReadBackAsWritten() throws Exception {
    IncrementalPush.State s = new IncrementalPush.State("stable", "sha256:aa",
        "application/vnd.docker.distribution.manifest.v2+json", "{\"m\":\"x\\ny\"}\n", "sha256:cc", 42,
        "{\"rootfs\":{}}", "sha256:bb", List.of(new IncrementalPush.Layer("health probe", "c1", "sha256:d1",
            "sha256:e1", 100, true), new IncrementalPush.Layer("dependencies", "c2", "sha256:d2", "sha256:e2", 7,
            false)), "-");
    IncrementalPush.save(dir, s.withSbom("sha256:ff"));
    assertThat(IncrementalPush.read(dir)).contains(s.withSbom("sha256:ff"));
    // another format, or a damaged file: no state, so the next build goes through jib-core
    Path file = IncrementalPush.file(dir);
    Files.writeString(file, Files.readString(file).replace("format 1", "format 2"));
    assertThat(IncrementalPush.read(dir)).isEmpty();
    Files.writeString(file, "format 1\nstable x\n");
    assertThat(IncrementalPush.read(dir)).isEmpty();
    IncrementalPush.forget(dir);
    assertThat(file).doesNotExist();
  }

  @Test
  void aLayerIsNeutralWhenItHoldsNothingTheSbomsInventoryReads() throws Exception {
    Path f = Files.writeString(dir.resolve("f"), "x");
    assertThat(IncrementalPush.neutral(layer(f, "/app/classes/demo/App.class", "/app/resources/a.properties")))
        .isTrue();
    for (String read : List.of("/app/libs/a.jar", "/etc/os-release", "/var/lib/dpkg/status.d/x",
        "/opt/java/release", "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/lib/apk/db/installed")) {
      assertThat(IncrementalPush.neutral(layer(f, "/app/classes/A.class", read))).as(read).isFalse();
      assertThat(Inventory.readsPath(read)).as(read).isTrue();
    }
  }

  @Test
  void anSbomReaddressedToAnotherDigestIsWhatSbomWriterWritesForIt() {
    Inventory inventory = new Inventory(List.of(new Inventory.Jar("/app/libs/a.jar", "12".repeat(32), "g", "a",
        "1")), List.of(), null, List.of(), List.of());
    String one = "sha256:" + "ab".repeat(32);
    String two = "sha256:" + "cd".repeat(32);
    Instant t = Instant.parse("2024-01-01T00:00:00Z");
    String first = SbomWriter.write(inventory, new SbomWriter.Subject("127.0.0.1:5000/demo", one, List.of("1.0")), t,
        "1.2.3");
    String second = SbomWriter.write(inventory, new SbomWriter.Subject("127.0.0.1:5000/demo", two, List.of("1.0")),
        t, "1.2.3");
    assertThat(ImageSbom.readdressed(first, one, two)).contains(second);
    assertThat(second).isNotEqualTo(first);
    // not an SBOM written for that digest: nothing
    assertThat(ImageSbom.readdressed(first, two, one)).isEmpty();
    assertThat(ImageSbom.readdressed("{}\n", one, two)).isEmpty();
  }

  private static FileEntriesLayer layer(Path file, String... paths) {
    FileEntriesLayer.Builder b = FileEntriesLayer.builder().setName("l");
    for (String p : paths) {
      b.addEntry(file, AbsoluteUnixPath.get(p));
    }
    return b.build();
  }
}
