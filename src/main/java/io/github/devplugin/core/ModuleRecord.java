package io.github.devplugin.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * What a module of a multi-module build records under its {@code target/devplugin/reactor/} for a goal that merges
 * every module's output (the reactor's compose stack, its kustomizations): a deterministic JSON file, read back by
 * the module that merges.
 */
public final class ModuleRecord {
  private ModuleRecord() {}

  /** Writes the record when its content changed. */
  public static void write(Path file, Object record) {
    Outputs.writeIfChanged(file, Json.write(record));
  }

  /** Removes a module's record: the module is no service (any more). */
  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The record of {@code module} in {@code file} as {@code parse} reads it, empty when there is none.
   *
   * @throws EnvironmentError when the file cannot be read or parsed, naming the module and the fix
   */
  public static <T> Optional<T> read(Path file, String module, Function<JsonNode, T> parse) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(Json.read(Files.readString(file))));
    } catch (IOException | RuntimeException e) {
      throw new EnvironmentError("Cannot read " + file + ", which the module " + module + " recorded for the"
          + " multi-module build: " + e.getMessage() + ". Fix: rebuild that module (mvn package), or delete the"
          + " file.", e);
    }
  }
}
