package io.github.devplugin.compose.up;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code devplugin:down}: removes the containers, networks and volumes of the project {@code devplugin:up} recorded
 * in {@code target/devplugin/up/stack.json}, then checks through the engine that nothing of it is left. With
 * {@code -Ddevplugin.keep} it leaves the stack up and says how to take it down later.
 */
public final class DownGoal {
  /** Leaves the stack up (for debugging); a goal-only flag. */
  public static final String KEEP_PROPERTY = "devplugin.keep";

  private DownGoal() {}

  /** What was removed. */
  public record Result(String project, List<String> containers, List<String> networks, List<String> volumes) {}

  public static Optional<Result> run(Path devpluginDirectory, boolean keep, BuildLog log) {
    return run(devpluginDirectory, keep, log, Commands.system(), Engine::connect);
  }

  static Optional<Result> run(Path devpluginDirectory, boolean keep, BuildLog log, Commands commands,
      ComposeCli.Connector connector) {
    Path file = StackState.file(devpluginDirectory);
    Optional<StackState> recorded = StackState.read(file);
    if (recorded.isEmpty()) {
      log.info("devplugin:down: no stack recorded in " + file + " (devplugin:up did not start one, or it was taken"
          + " down already): nothing to do.");
      return Optional.empty();
    }
    StackState state = recorded.get();
    if (keep) {
      StackGuard.release(file);
      log.info("devplugin:down: -D" + KEEP_PROPERTY + " is set: project " + state.project() + " stays up. Take it"
          + " down with mvn devplugin:down (in this project's directory), or: " + state.manualDown());
      return Optional.empty();
    }
    Engine engine;
    try {
      engine = connector.connect(state.engineHost(), state.engineSource());
    } catch (RuntimeException e) {
      throw new EnvironmentError("devplugin:down cannot reach the engine " + state.engineHost() + " ("
          + state.engineSource() + ") that runs project " + state.project() + ": " + e.getMessage() + ". Fix: start"
          + " it again and rerun mvn devplugin:down, or remove the project by hand: " + state.manualDown());
    }
    Result removed = takeDown(state, state.cli(engine), commands, log);
    StackState.delete(file);
    StackGuard.release(file);
    log.info("devplugin:down: removed project " + removed.project() + ": " + removed.containers().size()
        + " containers " + removed.containers() + ", " + removed.networks().size() + " networks "
        + removed.networks() + ", " + removed.volumes().size() + " volumes " + removed.volumes() + ".");
    return Optional.of(removed);
  }

  /**
   * {@code <cli> down -v}, then whatever the CLI left removed through the engine; fails when something of the project
   * is still there.
   */
  static Result takeDown(StackState state, ComposeCli cli, Commands commands, BuildLog log) {
    Engine engine = cli.engine();
    String project = state.project();
    List<String> containers = new ArrayList<>();
    engine.containers(project).forEach(c -> containers.add(c.service()));
    List<String> networks = engine.networks(project);
    List<String> volumes = engine.volumes(project);
    Commands.Result down = commands.run(cli.command(project, state.files(), "down", "-v", "--remove-orphans",
        "-t", "5"), cli.environment(state.placeholders()), Path.of(state.directory()), Duration.ofMinutes(5));
    if (!down.ok()) {
      log.warn("devplugin:down: " + cli.name() + " down exited with " + down.exit() + "; removing project "
          + project + " through the engine. It said:\n" + down.tail(10));
    }
    List<String> failed = engine.removeAll(project);
    List<String> left = new ArrayList<>();
    engine.containers(project).forEach(c -> left.add("container " + c.name()));
    engine.networks(project).forEach(n -> left.add("network " + n));
    engine.volumes(project).forEach(v -> left.add("volume " + v));
    if (!left.isEmpty()) {
      throw new EnvironmentError("devplugin:down could not remove everything of project " + project + ": " + left
          + (failed.isEmpty() ? "" : " (" + String.join("; ", failed) + ")") + ". Fix: remove them with the"
          + " engine's CLI (docker rm -f / podman rm -f, then network and volume rm).");
    }
    return new Result(project, containers, networks, volumes);
  }
}
