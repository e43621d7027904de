package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backups with {@code pg_dump} in custom format, each with a {@code .sha256} file beside it, and restores with
 * {@code pg_restore} into {@code psql} in one transaction that first drops the backed-up schemas: a restore either
 * gives back exactly the backed-up schemas and data, or changes nothing.
 */
public final class Backups {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private Backups() {}

  /** The server's version: {@code major} and the text. */
  public record ServerVersion(int major, String text) {}

  public static ServerVersion serverVersion(Connection c) {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int,"
            + " current_setting('server_version')")) {
      rs.next();
      return new ServerVersion(rs.getInt(1) / 10000, rs.getString(2).split(" ")[0]);
    } catch (SQLException e) {
      throw new EnvironmentError("Cannot read the server version: " + Connections.firstLine(e.getMessage()), e);
    }
  }

  /**
   * Checks, before anything changes, that {@code pg_dump} is there and can dump this server.
   *
   * @return the {@code pg_dump} to use
   */
  public static PgTools.Tool preflight(PgTools tools, ServerVersion server) {
    return tools.requireAtLeast(tools.find("pg_dump"), server.major(), server.text());
  }

  /**
   * Dumps {@code schemas} of the target into {@code directory}.
   *
   * @param label what the dump is of, e.g. {@code v3} (the schema version); part of the file name
   * @return the dump file; its checksum is in the same path plus {@code .sha256}
   */
  public static Path backup(DbTarget target, PgTools.Tool pgDump, List<String> schemas, Path directory,
      String label, BuildLog log) {
    String name = target.database() + "-" + STAMP.format(Instant.now()) + "-" + label + ".dump";
    Path file = directory.resolve(name);
    Path partial = directory.resolve("." + name + ".partial");
    try {
      Files.createDirectories(directory);
      List<String> cmd = new ArrayList<>(List.of(pgDump.path().toString(), "--format=custom", "--no-password",
          "--file=" + partial));
      for (String s : schemas) {
        cmd.add("--schema=" + s);
      }
      long start = System.nanoTime();
      PgTools.Run r = PgTools.run(cmd, PgTools.environment(target, "devplugin backup"), null);
      if (r.exitCode() != 0) {
        Files.deleteIfExists(partial);
        throw new EnvironmentError("pg_dump failed (exit code " + r.exitCode() + "), nothing was migrated: "
            + r.stderr().strip() + ". Fix: check that " + target.user() + " may read every table of schema "
            + String.join(", ", schemas) + ", or set <database><backup>false</backup> to migrate without a backup.");
      }
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      String sum = sha256(file);
      Files.writeString(checksumFile(file), sum + "  " + name + "\n", StandardCharsets.UTF_8);
      log.info("Backup of schema " + String.join(", ", schemas) + " written to " + file + " (" + Files.size(file)
          + " bytes, sha256 " + sum + ", " + (System.nanoTime() - start) / 1_000_000 + " ms). Restore it with"
          + " -D" + RollbackGoal.BACKUP_PROPERTY + "=" + file);
      return file;
    } catch (IOException e) {
      throw new EnvironmentError("Cannot write the backup to " + directory + ": " + e.getMessage()
          + ". Fix: check that <database><backupDirectory> is writable and the disk is not full.", e);
    }
  }

  public static Path checksumFile(Path dump) {
    return dump.resolveSibling(dump.getFileName() + ".sha256");
  }

  /** The backups in a directory, newest first. */
  public static List<Path> list(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (var s = Files.list(directory)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".dump") && Files.isRegularFile(p))
          .sorted(java.util.Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Replaces the schemas held in {@code dump} with the dump's content, in one transaction. The caller holds the
   * migration lock.
   */
  public static void restore(DbTarget target, PgTools tools, ServerVersion server, Path dump, BuildLog log) {
    if (!Files.isRegularFile(dump)) {
      throw new UserError("The backup " + dump + " (-D" + RollbackGoal.BACKUP_PROPERTY + ") does not exist. Fix:"
          + " give a file written by migrate's backup (" + "target/devplugin/backups/*.dump by default).");
    }
    verifyChecksum(dump, log);
    PgTools.Tool pgRestore = tools.requireAtLeast(tools.find("pg_restore"), server.major(), server.text());
    PgTools.Tool psql = tools.find("psql");
    PgTools.Run list = PgTools.run(List.of(pgRestore.path().toString(), "--list", dump.toString()), Map.of(), null);
    if (list.exitCode() != 0) {
      throw new UserError("pg_restore cannot read " + dump + ": " + list.stderr().strip() + ". Fix: give a backup"
          + " in pg_dump's custom format (pg_dump --format=custom); an archive from a newer pg_dump needs a"
          + " pg_restore at least as new (<database><pgBinDirectory>).");
    }
    Set<String> schemas = schemasOf(list.stdout());
    if (schemas.isEmpty()) {
      throw new UserError("The backup " + dump + " holds no schema definition, so a restore cannot replace the"
          + " schema exactly. Fix: use a backup written by devplugin (pg_dump --schema=NAME --format=custom).");
    }
    Path pre = null;
    try {
      pre = Files.createTempFile("devplugin-restore", ".sql");
      StringBuilder sql = new StringBuilder();
      for (String s : schemas) {
        sql.append("DROP SCHEMA IF EXISTS \"").append(s.replace("\"", "\"\"")).append("\" CASCADE;\n");
      }
      Files.writeString(pre, sql.toString(), StandardCharsets.UTF_8);
      long start = System.nanoTime();
      ProcessBuilder restore = new ProcessBuilder(pgRestore.path().toString(), "--no-owner", "--file=-",
          dump.toString());
      restore.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process producer = restore.start();
      CompletableFuture<String> producerErr = PgTools.drain(producer.getErrorStream());
      PgTools.Run r;
      try (InputStream script = producer.getInputStream()) {
        r = PgTools.run(List.of(psql.path().toString(), "--no-psqlrc", "--quiet", "--no-password",
            "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=" + pre, "--file=-"),
            PgTools.environment(target, "devplugin restore"), script);
      }
      int producerCode = producer.waitFor();
      if (producerCode != 0 || r.exitCode() != 0) {
        throw new EnvironmentError("Restoring " + dump + " failed and was rolled back; the database is unchanged: "
            + (producerErr.join() + r.stderr()).strip() + ". Fix: " + target.user() + " must own schema "
            + String.join(", ", schemas) + " (or be its database's owner) to replace it.");
      }
      log.info("Restored schema " + String.join(", ", schemas) + " from " + dump + " in "
          + (System.nanoTime() - start) / 1_000_000 + " ms.");
    } catch (IOException e) {
      throw new EnvironmentError("Cannot restore " + dump + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentError("Interrupted while restoring " + dump + ".", e);
    } finally {
      if (pre != null) {
        try {
          Files.deleteIfExists(pre);
        } catch (IOException e) {
          // a temporary file
        }
      }
    }
  }

  static void verifyChecksum(Path dump, BuildLog log) {
    Path sumFile = checksumFile(dump);
    if (!Files.isRegularFile(sumFile)) {
      log.warn("No checksum file " + sumFile.getFileName() + " beside " + dump + ": its integrity is not verified.");
      return;
    }
    try {
      String expected = Files.readString(sumFile, StandardCharsets.UTF_8).strip().split("\\s+")[0];
      String actual = sha256(dump);
      if (!expected.equalsIgnoreCase(actual)) {
        throw new UserError("The backup " + dump + " does not match its checksum (" + sumFile.getFileName()
            + " says " + expected + ", the file hashes to " + actual + "): it was changed or damaged. Nothing was"
            + " restored. Fix: use an intact copy of the backup.");
      }
      log.info("Backup checksum verified (sha256 " + actual + ").");
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read " + sumFile + ": " + e.getMessage(), e);
    }
  }

  /** The schemas a {@code pg_restore --list} output defines ({@code 4; 2615 2200 SCHEMA - public owner}). */
  static Set<String> schemasOf(String listing) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?m)^\\d+; \\d+ \\d+ SCHEMA - (\\S+) ").matcher(listing);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
