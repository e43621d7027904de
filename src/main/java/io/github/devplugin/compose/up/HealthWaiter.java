package io.github.devplugin.compose.up;

import io.github.devplugin.core.BuildLog;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Waits until every container of a compose project is ready: healthy, running without a health check, or (one-shot
 * services such as {@code migrate}) exited 0. Logs a progress line per service whenever its state changes.
 *
 * <p>Podman runs health checks only from systemd timers; where there are none (containers, CI machines) a
 * container would stay {@code starting} forever. When the engine is Podman, a driver thread runs every running
 * container's check every two seconds through Podman's API (what the timer would do), and the progress lines say so.
 */
public final class HealthWaiter implements AutoCloseable {
  static final long POLL_MILLIS = 2000;

  /** A container that will not become ready: why, and its last health-check outputs. */
  public record Failure(Engine.Container container, String reason) {}

  private final Engine engine;
  private final String project;
  private final BuildLog log;
  private final LongSupplier clock;
  private final Map<String, String> lastState = new HashMap<>();
  private final long start;
  private volatile boolean driving;
  private Thread driver;

  public HealthWaiter(Engine engine, String project, BuildLog log) {
    this(engine, project, log, System::currentTimeMillis);
  }

  HealthWaiter(Engine engine, String project, BuildLog log, LongSupplier clock) {
    this.engine = engine;
    this.project = project;
    this.log = log;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** Starts running health checks when the engine is Podman (a no-op for Docker, whose daemon runs them). */
  public void startDriver() {
    if (!engine.isPodman() || driving) {
      return;
    }
    driving = true;
    driver = new Thread(() -> {
      while (driving) {
        try {
          for (Engine.Container c : engine.containers(project)) {
            if (c.state().equals("running") && !c.health().isEmpty()) {
              engine.runHealthCheck(c.id());
            }
          }
        } catch (RuntimeException e) {
          log.debug("devplugin:up health-check driver: " + e.getMessage());
        }
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "devplugin-up-healthchecks-" + project);
    driver.setDaemon(true);
    driver.start();
  }

  @Override
  public void close() {
    driving = false;
    if (driver != null) {
      driver.interrupt();
      try {
        driver.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Polls until every container is ready, one fails, or {@code left} passes.
   *
   * @param timeout the whole wait the user configured, named in the failure
   * @return the failure, or null when everything is ready
   */
  public Failure await(Duration left, Duration timeout) {
    long end = clock.getAsLong() + left.toMillis();
    while (true) {
      List<Engine.Container> containers = engine.containers(project);
      Failure failure = report(containers);
      if (failure != null) {
        return failure;
      }
      if (!containers.isEmpty() && containers.stream().allMatch(HealthWaiter::isReady)) {
        return null;
      }
      if (clock.getAsLong() >= end) {
        Engine.Container waiting = containers.stream().filter(c -> !isReady(c)).findFirst().orElse(null);
        return new Failure(waiting, waiting == null ? "no container of project " + project + " was created within "
            + timeout.toSeconds() + " s" : "it is still " + state(waiting) + " after " + timeout.toSeconds() + " s");
      }
      if (!sleep()) {
        return new Failure(null, "interrupted while waiting");
      }
    }
  }

  /** Logs the progress lines of the containers there are now, while the compose CLI is still creating them. */
  public void progress() {
    report(engine.containers(project));
  }

  /** Logs a line per service whose state changed; returns the first failure. */
  private Failure report(List<Engine.Container> containers) {
    for (Engine.Container c : containers) {
      String state = state(c);
      if (!state.equals(lastState.put(c.service(), state))) {
        log.info("devplugin:up " + c.service() + ": " + state + " after " + (clock.getAsLong() - start) / 1000
            + " s" + (state.equals("starting") && engine.isPodman() ? " (devplugin runs its health check every"
            + " 2 s: Podman runs none without systemd timers)" : ""));
      }
    }
    for (Engine.Container c : containers) {
      String failure = failure(c);
      if (failure != null) {
        return new Failure(c, failure);
      }
    }
    return null;
  }

  /** Sleeps one poll interval; false when interrupted. */
  static boolean sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code healthy}, {@code starting}, {@code running (no health check)}, {@code exited 0}... */
  static String state(Engine.Container c) {
    if (c.state().equals("running")) {
      return c.health().isEmpty() ? "running (no health check)" : c.health();
    }
    if (c.state().equals("exited") || c.state().equals("dead")) {
      return "exited " + c.exitCode();
    }
    return c.state();
  }

  static boolean isReady(Engine.Container c) {
    return c.state().equals("running") && (c.health().isEmpty() || c.health().equals("healthy"))
        || c.state().equals("exited") && c.exitCode() == 0;
  }

  /** Why the container will not become ready, or null while it still may. */
  static String failure(Engine.Container c) {
    if (c.state().equals("running") && c.health().equals("unhealthy")) {
      return "its health check failed " + (c.healthLog().isEmpty() ? "" : "(last: " + last(c.healthLog()) + ")");
    }
    if ((c.state().equals("exited") || c.state().equals("dead")) && c.exitCode() != 0) {
      return "it exited with code " + c.exitCode();
    }
    return null;
  }

  private static String last(List<String> entries) {
    return entries.get(entries.size() - 1);
  }
}
