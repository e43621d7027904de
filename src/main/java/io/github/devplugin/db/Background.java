package io.github.devplugin.db;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Work that {@code migrate} starts on a thread of its own so that it runs while the calling thread does something
 * else that does not depend on it: the control connection while the migration scan reads the files (a JVM's first
 * PostgreSQL connection loads the driver and its SCRAM authentication, about 0.5 s), Flyway's configuration while the
 * control connection checks the database (its first {@code load()} in a JVM, about 1 s, mostly Jackson). Each task
 * runs on a new daemon thread, so a task nobody waits for never keeps the JVM alive.
 */
final class Background<T> {
  private final String name;
  private final CompletableFuture<T> future;

  private Background(String name, CompletableFuture<T> future) {
    this.name = name;
    this.future = future;
  }

  /** Starts {@code task} on a new daemon thread named {@code name}. */
  static <T> Background<T> start(String name, Supplier<T> task) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return new Background<>(name, CompletableFuture.supplyAsync(task, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      // as on the calling thread (Maven's plugin realm): what the task loads by the context loader is the same
      t.setContextClassLoader(context);
      t.start();
    }));
  }

  /**
   * The task's result, waiting for it; what the task threw is thrown here as it was thrown there (an unchecked
   * exception or an error), so callers catch what they caught when they ran the task themselves.
   */
  T get() {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + name, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
          : e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * Gives the result up without waiting: when the task succeeds, {@code release} gets it (e.g. closes a connection
   * that will not be used); a failure is dropped (the caller is already failing for another reason).
   */
  void abandon(Consumer<T> release) {
    future.thenAccept(release);
  }
}
