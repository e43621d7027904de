package io.github.devplugin.compose.up;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external commands (the compose CLI, {@code docker context}); replaced by a fake in tests. */
public interface Commands {

  /**
   * What a command did.
   *
   * @param exit its exit code; {@link #NOT_FOUND} when it could not be started, {@link #TIMED_OUT} when it was killed
   * @param output standard output and error, interleaved
   */
  record Result(int exit, String output) {
    public boolean ok() {
      return exit == 0;
    }

    /** The last {@code n} lines of the output. */
    public String tail(int n) {
      List<String> lines = output.strip().lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
  }

  int NOT_FOUND = 127;
  int TIMED_OUT = -1;

  /**
   * Runs {@code command} in {@code directory} with {@code environment} added to this process's environment, and
   * waits at most {@code timeout}.
   */
  Result run(List<String> command, Map<String, String> environment, Path directory, Duration timeout);

  /** Real processes. */
  static Commands system() {
    return (command, environment, directory, timeout) -> {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      if (directory != null) {
        pb.directory(directory.toFile());
      }
      pb.environment().putAll(environment);
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        return new Result(NOT_FOUND, command.get(0) + " is not on the PATH (" + e.getMessage() + ")");
      }
      StringBuilder out = new StringBuilder();
      Thread reader = new Thread(() -> {
        try (InputStream in = p.getInputStream()) {
          String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          synchronized (out) {
            out.append(text);
          }
        } catch (IOException e) {
          synchronized (out) {
            out.append("(output not read: ").append(e.getMessage()).append(')');
          }
        }
      });
      reader.setDaemon(true);
      reader.start();
      try {
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        synchronized (out) {
          return new Result(done ? p.exitValue() : TIMED_OUT, out.toString());
        }
      } catch (InterruptedException e) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        return new Result(TIMED_OUT, "interrupted");
      }
    };
  }
}
