package io.github.devplugin.db;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's client programs ({@code pg_dump}, {@code pg_restore}, {@code psql}): finding them, checking their
 * version against the server's, and running them with the connection passed through libpq's environment variables
 * (the password in {@code PGPASSWORD}, never on a command line).
 */
public final class PgTools {
  private final String directory;

  /** @param directory where the programs are; null looks them up on the {@code PATH} */
  public PgTools(String directory) {
    this.directory = directory;
  }

  /** A located program and its major version. */
  public record Tool(String name, Path path, int major, String version) {}

  /** The output of a finished program. */
  public record Run(int exitCode, String stdout, String stderr) {}

  /** Finds {@code name} and its version, or fails with how to install it or where to point. */
  public Tool find(String name) {
    Path path = locate(name);
    if (path == null) {
      throw new UserError(name + " was not found " + (directory == null ? "on the PATH" : "in " + directory)
          + ". It is needed for backups and restores. Fix: install PostgreSQL's client programs (Debian/Ubuntu:"
          + " apt-get install postgresql-client; macOS: brew install libpq), or point <database><pgBinDirectory> at"
          + " the directory holding " + name + ".");
    }
    Run r = run(List.of(path.toString(), "--version"), Map.of(), null);
    Matcher m = Pattern.compile("\\(PostgreSQL\\) (\\d+)(\\.\\d+)?").matcher(r.stdout());
    if (r.exitCode() != 0 || !m.find()) {
      throw new EnvironmentError(path + " --version did not report a PostgreSQL version (" + r.stdout().strip()
          + r.stderr().strip() + "). Fix: point <database><pgBinDirectory> at a PostgreSQL installation's bin"
          + " directory.");
    }
    return new Tool(name, path, Integer.parseInt(m.group(1)), m.group(1) + (m.group(2) == null ? "" : m.group(2)));
  }

  /**
   * Checks that {@code tool} can work with a server of major version {@code serverMajor}: {@code pg_dump} refuses
   * servers newer than itself.
   */
  public Tool requireAtLeast(Tool tool, int serverMajor, String serverVersion) {
    if (tool.major() < serverMajor) {
      throw new UserError(tool.name() + " " + tool.version() + " (" + tool.path() + ") is older than the PostgreSQL "
          + serverVersion + " server and cannot " + (tool.name().equals("pg_dump") ? "dump" : "restore into")
          + " it. Fix: install the PostgreSQL " + serverMajor + " client programs (Debian: apt-get install"
          + " postgresql-client-" + serverMajor + ") and point <database><pgBinDirectory> at them (e.g."
          + " /usr/lib/postgresql/" + serverMajor + "/bin).");
    }
    return tool;
  }

  private Path locate(String name) {
    List<Path> candidates = new ArrayList<>();
    if (directory != null) {
      candidates.add(Path.of(directory, name));
    } else {
      String path = System.getenv("PATH");
      if (path != null) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
          if (!dir.isEmpty()) {
            candidates.add(Path.of(dir, name));
          }
        }
      }
    }
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
      Path exe = p.resolveSibling(p.getFileName() + ".exe");
      if (Files.isRegularFile(exe) && Files.isExecutable(exe)) {
        return exe;
      }
    }
    return null;
  }

  /** libpq environment variables for the target: host, port, database, user, password, SSL mode, timeout. */
  public static Map<String, String> environment(DbTarget target, String applicationName) {
    Properties p = target.parsed();
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("PGHOST", p.getProperty("PGHOST"));
    env.put("PGPORT", p.getProperty("PGPORT"));
    env.put("PGDATABASE", p.getProperty("PGDBNAME"));
    env.put("PGUSER", target.user());
    if (target.password() != null) {
      env.put("PGPASSWORD", target.password());
    }
    String ssl = p.getProperty("sslmode");
    if (ssl != null) {
      env.put("PGSSLMODE", ssl);
    }
    env.put("PGCONNECT_TIMEOUT", String.valueOf(Math.max(2, target.connectTimeoutSeconds())));
    env.put("PGAPPNAME", applicationName);
    return env;
  }

  /** Runs a program to completion; {@code stdin} (may be null) is fed to it. */
  public static Run run(List<String> command, Map<String, String> env, InputStream stdin) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
    pb.environment().putAll(env);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File(isWindows() ? "NUL" : "/dev/null")));
    }
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      if (stdin != null) {
        try (var in = stdin; var to = p.getOutputStream()) {
          in.transferTo(to);
        } catch (IOException e) {
          // the program ended early; its exit code and stderr say why
        }
      }
      int code = p.waitFor();
      return new Run(code, out.join(), err.join());
    } catch (IOException e) {
      throw new EnvironmentError("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentError("Interrupted while running " + command.get(0) + ".", e);
    }
  }

  /** Reads a stream to its end on a thread of its own (never the common pool: it may have a single thread). */
  static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        f.complete(b.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        f.complete("");
      }
    }, "devplugin-process-output");
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
  }
}
