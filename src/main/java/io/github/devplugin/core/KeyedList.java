package io.github.devplugin.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A list of lines computed from inputs that a key names, kept in a file ({@code key <key>} on the first line, then
 * one line per element): the computation runs again only when the key differs from the one written with the list.
 * For results that cost far more than their key (a dependency collection keyed by the artifacts it walks); a
 * missing, unreadable or foreign file only costs the computation.
 */
public final class KeyedList {
  private KeyedList() {}

  /**
   * The list kept in {@code file} under {@code key}, else {@code compute}'s, which is then kept there.
   *
   * @param key one line, no line breaks
   */
  public static List<String> get(Path file, String key, Supplier<List<String>> compute) {
    if (key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a key is one line: " + key);
    }
    String header = "key " + key;
    if (Files.isRegularFile(file)) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && lines.get(0).equals(header)) {
          return List.copyOf(lines.subList(1, lines.size()));
        }
      } catch (IOException | RuntimeException e) {
        // computed again below
      }
    }
    List<String> computed = List.copyOf(compute.get());
    List<String> lines = new ArrayList<>();
    lines.add(header);
    for (String element : computed) {
      if (element.indexOf('\n') >= 0 || element.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("an element is one line: " + element);
      }
      lines.add(element);
    }
    Outputs.writeIfChanged(file, String.join("\n", lines) + "\n");
    return computed;
  }
}
