package io.github.devplugin.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SbomWriterTest {
  @TempDir
  Path dir;

  private Path image() throws Exception {
    Map<String, byte[]> app = new LinkedHashMap<>();
    app.put("/app/libs/commons-text-1.9.jar", TestImages.jar("org.apache.commons", "commons-text", "1.9"));
    app.put("/app/libs/plain.jar", TestImages.text("not a zip"));
    Map<String, byte[]> apk = new LinkedHashMap<>();
    apk.put("/lib/apk/db/installed", TestImages.text("C:Q1abc\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n"
        + "P:busybox\nV:1.36.1-r15\nA:x86_64\n"));
    return TestImages.dockerTar(dir.resolve("image.tar"), "{\"config\":{}}", List.of(TestImages.debianBase(),
        TestImages.layer(apk), TestImages.layer(app)));
  }

  @Test
  void readsJarsPackagesAndRuntimeFromTheLayers() throws Exception {
    Inventory inv;
    try (ImageFiles files = ImageFiles.fromTar(image())) {
      inv = Inventory.of(files);
    }
    assertThat(inv.jars()).extracting(Inventory.Jar::path).containsExactly("/app/libs/commons-text-1.9.jar",
        "/app/libs/plain.jar");
    assertThat(inv.jars().get(0).purl()).isEqualTo("pkg:maven/org.apache.commons/commons-text@1.9?type=jar");
    assertThat(inv.jars().get(1).purl()).isNull();
    assertThat(inv.packages()).extracting(p -> p.type() + ":" + p.name() + "@" + p.version() + " src " + p.source())
        .containsExactly("apk:busybox@1.36.1-r15 src busybox", "apk:musl@1.2.4-r2 src musl",
            "deb:libc6@2.36-9+deb12u4 src glibc", "deb:libssl3@3.0.11-1~deb12u2 src openssl");
    assertThat(inv.os().id()).isEqualTo("debian");
    assertThat(inv.runtimes()).singleElement().satisfies(r -> {
      assertThat(r.home()).isEqualTo("/opt/java/openjdk");
      assertThat(r.runtimeVersion()).isEqualTo("17.0.13+11");
    });
    assertThat(inv.purl(inv.packages().get(3)))
        .isEqualTo("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
  }

  @Test
  void writesAValidReproducibleCycloneDxDocument() throws Exception {
    Inventory inv;
    try (ImageFiles files = ImageFiles.fromTar(image())) {
      inv = Inventory.of(files);
    }
    SbomWriter.Subject subject = new SbomWriter.Subject("127.0.0.1:5077/it/app",
        "sha256:" + "ab".repeat(32), List.of("1.0"));
    Instant t = Instant.parse("2026-11-27T00:00:00Z");
    String json = SbomWriter.write(inv, subject, t, "0.1.0");
    assertThat(SbomSchema.validate(json)).isEmpty();
    assertThat(SbomWriter.write(inv, subject, t, "0.1.0")).isEqualTo(json);
    JsonNode bom = Json.read(json);
    assertThat(bom.get("specVersion").asString()).isEqualTo("1.6");
    assertThat(bom.get("metadata").get("timestamp").asString()).startsWith("2026-11-27T00:00:00");
    assertThat(bom.get("metadata").get("component").get("version").asString()).isEqualTo(subject.digest());
    List<String> purls = new ArrayList<>();
    bom.get("components").forEach(c -> purls.add(c.path("purl").asString("")));
    assertThat(purls).contains("pkg:maven/org.apache.commons/commons-text@1.9?type=jar",
        "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=debian-12");
    assertThat(json).contains("\"type\" : \"operating-system\"", "Eclipse Adoptium Java runtime");
    String other = SbomWriter.write(inv, new SbomWriter.Subject("r/app", "sha256:" + "cd".repeat(32), List.of()),
        t, "0.1.0");
    assertThat(Json.read(other).get("serialNumber").asString()).isNotEqualTo(bom.get("serialNumber").asString());
  }

  @Test
  void theSchemaRejectsABrokenDocument() {
    assertThat(SbomSchema.validate("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":"
        + "[{\"type\":\"no-such-type\",\"name\":\"x\"}]}")).isNotEmpty();
  }
}
