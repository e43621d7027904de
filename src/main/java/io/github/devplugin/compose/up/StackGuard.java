package io.github.devplugin.compose.up;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes down, when the JVM exits, the stacks that a bound {@code devplugin:up} started in this JVM and that no
 * {@code devplugin:down} took down: a build that fails between the two (a failsafe error, another module of a
 * {@code -T} reactor failing, Ctrl-C) leaves nothing running.
 *
 * <p>Why a JVM shutdown hook: it runs on every Maven from 3.6.3 to 4.0 however the build ends (normal exit,
 * {@code System.exit} after a failure, SIGINT/SIGTERM), needs no {@code <extensions>true</extensions>} (a
 * lifecycle participant's {@code afterSessionEnd} is only called for build extensions, and an
 * {@code ExecutionListener} cannot be added from a plugin), and sees only what this JVM started. Only SIGKILL
 * escapes it. Maven disposes the plugin's class realm before the JVM exits, so the hook may load no class after
 * {@link #watch}: {@link #PRELOADED} loads what it runs beforehand.
 */
public final class StackGuard {
  /** The classes the hook needs that {@code up} itself has not loaded (a closed class realm loads none). */
  static final List<Class<?>> PRELOADED = List.of(DownGoal.class, DownGoal.Result.class, Guarded.class,
      EnvironmentError.class, Optional.class, ArrayList.class);

  /** A stack being watched: what {@code down} needs to take it down. */
  record Guarded(StackState state, ComposeCli cli, Commands commands, BuildLog log) {}

  private static final Map<Path, Guarded> STACKS = new ConcurrentHashMap<>();
  private static Thread hook;

  private StackGuard() {}

  /**
   * Watches the stack recorded in {@code stateFile} until {@link #release} (by {@code down}, or {@code up} taking it
   * down itself); takes it down at JVM exit otherwise.
   */
  static synchronized void watch(Path stateFile, StackState state, ComposeCli cli, Commands commands, BuildLog log) {
    STACKS.put(stateFile.toAbsolutePath().normalize(), new Guarded(state, cli, commands, log));
    if (hook == null) {
      hook = new Thread(StackGuard::takeDownLeft, "devplugin-up-stack-guard");
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /** Stops watching the stack of {@code stateFile} ({@code down} removed it, or keeps it on request). */
  static void release(Path stateFile) {
    STACKS.remove(stateFile.toAbsolutePath().normalize());
  }

  /** The projects watched now. */
  static List<String> watched() {
    List<String> out = new ArrayList<>();
    STACKS.values().forEach(g -> out.add(g.state().project()));
    return out;
  }

  /**
   * What the hook runs: takes down every watched stack still recorded under its project name, never failing (a
   * stack that cannot be removed is reported with the command that removes it). Returns the projects removed.
   */
  static List<String> takeDownLeft() {
    List<String> removed = new ArrayList<>();
    for (Map.Entry<Path, Guarded> e : STACKS.entrySet()) {
      Guarded g = e.getValue();
      String project = g.state().project();
      try {
        Optional<StackState> recorded = StackState.read(e.getKey());
        if (recorded.isEmpty() || !recorded.get().project().equals(project)) {
          continue;
        }
        g.log().warn("devplugin:up: the build ended before devplugin:down ran for project " + project
            + " (a failure after up, or an interrupt): taking it down now. (-D" + DownGoal.KEEP_PROPERTY
            + " keeps a stack up.)");
        DownGoal.Result r = DownGoal.takeDown(g.state(), g.cli(), g.commands(), g.log());
        StackState.delete(e.getKey());
        g.log().warn("devplugin:up: removed project " + project + ": " + r.containers().size() + " containers "
            + r.containers() + ", " + r.networks().size() + " networks, " + r.volumes().size() + " volumes.");
        removed.add(project);
      } catch (RuntimeException | LinkageError failure) {
        System.err.println("[ERROR] devplugin:up could not take down project " + project + " at exit: "
            + failure.getMessage() + ". Take it down by hand: " + g.state().manualDown());
      } finally {
        STACKS.remove(e.getKey());
      }
    }
    return removed;
  }
}
