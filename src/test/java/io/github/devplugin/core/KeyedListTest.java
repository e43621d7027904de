package io.github.devplugin.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyedListTest {
  @TempDir Path dir;

  @Test
  void computedOnceWhileTheKeyStaysTheSame() {
    Path file = dir.resolve("stamps/x.list");
    AtomicInteger runs = new AtomicInteger();
    List<String> first = KeyedList.get(file, "k1", () -> {
      runs.incrementAndGet();
      return List.of("a:b", "c:d");
    });
    List<String> again = KeyedList.get(file, "k1", () -> {
      runs.incrementAndGet();
      return List.of("other");
    });
    assertThat(first).containsExactly("a:b", "c:d");
    assertThat(again).containsExactly("a:b", "c:d");
    assertThat(runs).hasValue(1);
    assertThat(file).hasContent("key k1\na:b\nc:d\n");
  }

  @Test
  void anotherKeyComputesAgainAndKeepsTheNewList() {
    Path file = dir.resolve("x.list");
    KeyedList.get(file, "k1", () -> List.of("a"));
    assertThat(KeyedList.get(file, "k2", () -> List.of("b", "c"))).containsExactly("b", "c");
    assertThat(KeyedList.get(file, "k2", () -> List.of("never"))).containsExactly("b", "c");
    // an empty list is kept too
    assertThat(KeyedList.get(file, "k3", List::of)).isEmpty();
    assertThat(KeyedList.get(file, "k3", () -> List.of("never"))).isEmpty();
  }

  @Test
  void aForeignOrDamagedFileOnlyCostsTheComputation() throws Exception {
    Path file = dir.resolve("x.list");
    Files.writeString(file, "not a header\nz\n");
    assertThat(KeyedList.get(file, "k1", () -> List.of("a"))).containsExactly("a");
    Files.writeString(file, "");
    assertThat(KeyedList.get(file, "k1", () -> List.of("b"))).containsExactly("b");
    Files.delete(file);
    Files.createDirectory(file); // not a file at all: computed, and the write's failure names the file
    Files.writeString(file.resolve("inside"), "x");
    assertThatThrownBy(() -> KeyedList.get(file, "k1", () -> List.of("c"))).isInstanceOf(EnvironmentError.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void keysAndElementsAreOneLineEach() {
    Path file = dir.resolve("x.list");
    assertThatThrownBy(() -> KeyedList.get(file, "a\nb", List::of)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyedList.get(file, "k", () -> List.of("a\nkey k"))).isInstanceOf(
        IllegalArgumentException.class);
    assertThat(file).doesNotExist();
  }
}
