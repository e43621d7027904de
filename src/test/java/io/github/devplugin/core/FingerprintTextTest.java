package io.github.devplugin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Fingerprint#text}: records walked component by component, so that any content change is seen. */
class FingerprintTextTest {

  record Inner(String name, int port, Path file) {}

  record Outer(String id, List<Inner> inners, Map<String, Object> extra, Optional<Inner> first, String[] args) {}

  private static Outer outer(String innerName, int port, String arg) {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("k", new Inner("x", 1, null));
    return new Outer("o", List.of(new Inner(innerName, port, Path.of("a/b"))), extra,
        Optional.of(new Inner("f", 2, null)), new String[] {arg});
  }

  @Test
  void recordTextNamesEveryComponentRecursively() {
    assertEquals("io.github.devplugin.core.FingerprintTextTest$Outer[id=o, inners=["
        + "io.github.devplugin.core.FingerprintTextTest$Inner[name=n, port=80, file=a/b]], extra={k="
        + "io.github.devplugin.core.FingerprintTextTest$Inner[name=x, port=1, file=null]}, first=Optional["
        + "io.github.devplugin.core.FingerprintTextTest$Inner[name=f, port=2, file=null]], args=[-v]]",
        Fingerprint.text(outer("n", 80, "-v")));
  }

  @Test
  void plainValuesAreTheirStringForm() {
    assertEquals("null", Fingerprint.text(null));
    assertEquals("abc", Fingerprint.text("abc"));
    assertEquals("[1, 2]", Fingerprint.text(List.of(1, 2)));
    assertEquals("a/b", Fingerprint.text(Path.of("a/b")));
  }

  @Test
  void equalContentGivesEqualFingerprintsAndAnyNestedChangeADifferentOne() {
    String base = Fingerprint.start().add("v", outer("n", 80, "-v")).hex();
    assertEquals(base, Fingerprint.start().add("v", outer("n", 80, "-v")).hex());
    assertNotEquals(base, Fingerprint.start().add("v", outer("m", 80, "-v")).hex());
    assertNotEquals(base, Fingerprint.start().add("v", outer("n", 81, "-v")).hex());
    assertNotEquals(base, Fingerprint.start().add("v", outer("n", 80, "-w")).hex());
  }
}
