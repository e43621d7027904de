package io.github.devplugin.compose.up;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Outputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What {@code up} started, written to {@code target/devplugin/up/stack.json} before anything starts, so that
 * {@code down} (in the same build, or a later {@code mvn devplugin:down}) takes down exactly that project. Holds no
 * secret.
 *
 * @param project the compose project name (unique per build)
 * @param cli the compose CLI's name, e.g. {@code docker-compose}
 * @param executable the CLI's command
 * @param directory the directory of the compose files
 * @param files the compose files, relative to {@code directory}
 * @param engineHost the engine's address
 * @param engineSource where the address was found
 * @param requiredVariables the variables the compose files require ({@link EnvExample#requiredVariables}): the CLI
 *     refuses to read the files without them, even to take the stack down, so {@code down} gives them placeholders
 */
public record StackState(String project, String cli, List<String> executable, String directory, List<String> files,
    String engineHost, String engineSource, List<String> requiredVariables) {

  public StackState {
    executable = List.copyOf(executable);
    files = List.copyOf(files);
    requiredVariables = List.copyOf(requiredVariables);
  }

  /** Placeholder values of the required variables, for commands that start nothing ({@code down}). */
  Map<String, String> placeholders() {
    Map<String, String> out = new TreeMap<>();
    requiredVariables.forEach(v -> out.put(v, "unused-by-down"));
    return out;
  }

  /** {@code target/devplugin/up/stack.json} of a project's {@code target/devplugin}. */
  public static Path file(Path devpluginDirectory) {
    return devpluginDirectory.resolve("up").resolve("stack.json");
  }

  public void write(Path file) {
    Outputs.writeIfChanged(file, Json.write(this));
  }

  public static Optional<StackState> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = Json.read(Files.readString(file));
      return Optional.of(new StackState(n.path("project").asString(), n.path("cli").asString(),
          strings(n.path("executable")), n.path("directory").asString(), strings(n.path("files")),
          n.path("engineHost").asString(), n.path("engineSource").asString(), strings(n.path("requiredVariables"))));
    } catch (IOException | RuntimeException e) {
      throw new EnvironmentError("Cannot read " + file + " (what devplugin:up started): " + e.getMessage()
          + ". Fix: take the stack down with the compose CLI (docker compose ls lists the projects), then delete the"
          + " file.", e);
    }
  }

  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asString()));
    return out;
  }

  /** The CLI as it was found, to run it again. */
  ComposeCli cli(Engine engine) {
    return new ComposeCli(cli, executable, "", engine);
  }

  /** The command a user types to take this stack down by hand. */
  public String manualDown() {
    List<String> cmd = new ComposeCli(cli, executable, "", null).command(project, files, "down", "-v");
    StringBuilder vars = new StringBuilder();
    placeholders().forEach((k, v) -> vars.append(k).append('=').append(v).append(' '));
    return "cd " + directory + " && DOCKER_HOST=" + engineHost + " " + vars + String.join(" ", cmd);
  }
}
