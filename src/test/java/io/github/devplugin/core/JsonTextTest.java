package io.github.devplugin.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JsonText} writes what {@link Json#write} (Jackson) writes, byte for byte. */
class JsonTextTest {
  private static void same(Object forJackson, Object forJsonText) {
    assertThat(JsonText.write(forJsonText)).isEqualTo(Json.write(forJackson));
  }

  private static void same(Object value) {
    same(value, value);
  }

  @Test
  void anOciManifestWithNestedObjectsListsAndNumbers() {
    Map<String, Object> layer = new LinkedHashMap<>();
    layer.put("mediaType", "application/vnd.cyclonedx+json");
    layer.put("digest", "sha256:" + "ab".repeat(32));
    layer.put("size", 39209L);
    layer.put("annotations", Map.of("org.opencontainers.image.title", "sbom.cdx.json"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2);
    m.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    m.put("artifactType", "application/vnd.cyclonedx+json");
    m.put("config", Map.of("mediaType", "application/vnd.oci.empty.v1+json", "digest", "sha256:44", "size", 2));
    m.put("layers", List.of(layer, layer));
    m.put("subject", Map.of("digest", "sha256:98", "size", 1076, "mediaType", "x"));
    same(m);
    // an index whose list holds objects, and one with an empty list
    same(Map.of("schemaVersion", 2, "manifests", List.of(layer)));
    same(Map.of("schemaVersion", 2, "manifests", List.of()));
  }

  @Test
  void scalarsListsEmptyObjectsAndNull() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", List.of("a", "b"));
    m.put("a", null);
    m.put("t", true);
    m.put("empty", Map.of());
    m.put("nested", List.of(List.of(1, 2), List.of()));
    m.put("long", Long.MAX_VALUE);
    same(m);
    same(List.of(Map.of("a", 1), Map.of("b", List.of(Map.of("c", "d")))));
  }

  @Test
  void stringsAreEscapedAsJacksonEscapesThem() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    all.append("é€😀\u2028\u2029\u007f");
    same(Map.of("k\"ey\n", all.toString()));
  }

  @Test
  void fieldsKeepTheirOrderAsARecordsComponentsDo() {
    record R(String image, List<String> tags, String tarFile, List<String> platforms, String environment) {}
    R r = new R("127.0.0.1:5000/demo", List.of("1.0.0", "latest"), null, List.of("linux/amd64"), "dev");
    same(r, JsonText.Fields.of("image", r.image(), "tags", r.tags(), "tarFile", null, "platforms", r.platforms(),
        "environment", "dev"));
    List<Object> none = new ArrayList<>();
    same(new R("x", none.stream().map(String::valueOf).toList(), "t", List.of(), null),
        JsonText.Fields.of("image", "x", "tags", List.of(), "tarFile", "t", "platforms", List.of(), "environment",
            null));
  }

  @Test
  void anythingElseIsRefused() {
    assertThatThrownBy(() -> JsonText.write(Map.of("k", new Object()))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }
}
