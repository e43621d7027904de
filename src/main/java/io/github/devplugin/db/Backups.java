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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backups with {@code pg_dump} in custom format, each with a {@code .sha256} file and an {@code .identity} file
 * beside it, and restores with {@code pg_restore} into {@code psql} in one transaction that first drops the
 * backed-up schemas: a restore either gives back exactly the backed-up schemas (owners, grants, the extensions
 * installed in them, the schemas' own access privileges) and data, or changes nothing. A backup is restored only into
 * the database it was taken from (its {@link Identity}). Backup files are private to the user (0600, directories
 * 0700).
 */
public final class Backups {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

  private Backups() {}

  /** The server's version: {@code major} and the text. */
  public record ServerVersion(int major, String text) {}

  /**
   * Which database a backup is of: a backup is restored only into a database with the same host, port, database,
   * environment and server major version.
   */
  public record Identity(String host, String port, String database, String environment, String serverVersion) {
    public static Identity of(DbTarget target, ServerVersion server) {
      Properties p = target.parsed();
      return new Identity(p.getProperty("PGHOST"), p.getProperty("PGPORT"), p.getProperty("PGDBNAME"),
          target.environment() == null ? "" : target.environment(), server.text());
    }

    boolean sameDatabase(Identity o) {
      return host.equals(o.host) && port.equals(o.port) && database.equals(o.database)
          && environment.equals(o.environment) && major(serverVersion).equals(major(o.serverVersion));
    }

    private static String major(String version) {
      return version.split("\\.")[0];
    }

    /** {@code database app on 127.0.0.1:5432 (environment prod, PostgreSQL 15.4)}. */
    public String describe() {
      return "database " + database + " on " + host + ":" + port + " (environment "
          + (environment.isEmpty() ? "none" : environment) + ", PostgreSQL " + serverVersion + ")";
    }
  }

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
   * Dumps {@code schemas} of the target, with the extensions installed in them, into {@code directory}, and records
   * the database's identity and the schemas' access privileges beside the dump.
   *
   * @param label what the dump is of, e.g. {@code v3} (the schema version); part of the file name
   * @return the dump file; its checksum is in the same path plus {@code .sha256}, its identity plus
   *     {@code .identity}
   */
  public static Path backup(DbTarget target, PgTools.Tool pgDump, List<String> schemas, Path directory,
      String label, BuildLog log) {
    String name = target.database() + "-" + STAMP.format(Instant.now()) + "-" + label + ".dump";
    Path file = directory.resolve(name);
    Path partial = directory.resolve("." + name + ".partial");
    try {
      Map<String, String> metadata = new TreeMap<>();
      List<String> extensions = new ArrayList<>();
      try (Connection c = Connections.open(target, "devplugin backup")) {
        Identity id = Identity.of(target, serverVersion(c));
        metadata.put("host", id.host());
        metadata.put("port", id.port());
        metadata.put("database", id.database());
        metadata.put("environment", id.environment());
        metadata.put("serverVersion", id.serverVersion());
        metadata.put("schemas", String.join(",", schemas));
        try (PreparedStatement st = c.prepareStatement("SELECT nspname, nspacl::text FROM pg_namespace"
            + " WHERE nspname = ANY (?)")) {
          st.setArray(1, c.createArrayOf("text", schemas.toArray()));
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              if (rs.getString(2) != null) {
                metadata.put("acl." + rs.getString(1), rs.getString(2));
              }
            }
          }
        }
        try (PreparedStatement st = c.prepareStatement("SELECT e.extname FROM pg_extension e JOIN pg_namespace n"
            + " ON n.oid = e.extnamespace WHERE n.nspname = ANY (?) ORDER BY e.extname")) {
          st.setArray(1, c.createArrayOf("text", schemas.toArray()));
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              extensions.add(rs.getString(1));
            }
          }
        }
      } catch (SQLException e) {
        throw new EnvironmentError("Cannot read what to back up (" + target.hostAndPort() + "/" + target.database()
            + "), nothing was migrated: " + Connections.firstLine(e.getMessage()), e);
      }
      metadata.put("extensions", String.join(",", extensions));
      createPrivateDirectories(directory);
      Files.deleteIfExists(partial);
      createPrivateFile(partial);
      List<String> cmd = new ArrayList<>(List.of(pgDump.path().toString(), "--format=custom", "--no-password",
          "--file=" + partial));
      for (String s : schemas) {
        cmd.add("--schema=" + s);
      }
      for (String e : extensions) {
        cmd.add("--extension=" + e);
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
      writePrivate(checksumFile(file), sum + "  " + name + "\n");
      StringBuilder identity = new StringBuilder();
      metadata.forEach((k, v) -> identity.append(k).append('=').append(escape(v)).append('\n'));
      writePrivate(identityFile(file), identity.toString());
      log.info("Backup of schema " + String.join(", ", schemas)
          + (extensions.isEmpty() ? "" : " (with extension" + (extensions.size() == 1 ? " " : "s ")
              + String.join(", ", extensions) + ")")
          + " written to " + file + " (" + Files.size(file)
          + " bytes, sha256 " + sum + ", " + (System.nanoTime() - start) / 1_000_000 + " ms). Restore it with"
          + " -D" + RollbackGoal.BACKUP_PROPERTY + "=" + file);
      return file;
    } catch (IOException e) {
      throw new EnvironmentError("Cannot write the backup to " + directory + ": " + e.getMessage()
          + ". Fix: check that <database><backupDirectory> is writable and the disk is not full.", e);
    }
  }

  /** A value of a {@code .properties} file: backslashes and line ends escaped. */
  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  /** Creates {@code directory} and its missing parents with mode 0700, and makes {@code directory} itself 0700. */
  static void createPrivateDirectories(Path directory) throws IOException {
    Path abs = directory.toAbsolutePath();
    List<Path> missing = new ArrayList<>();
    for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(0, p);
    }
    for (Path p : missing) {
      Files.createDirectory(p);
      setMode(p, DIRECTORY_MODE);
    }
    setMode(abs, DIRECTORY_MODE);
  }

  private static void createPrivateFile(Path file) throws IOException {
    Files.createFile(file);
    setMode(file, FILE_MODE);
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    createPrivateFile(file);
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static void setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, mode);
    }
  }

  /** The identity file beside a dump. */
  public static Path identityFile(Path dump) {
    return dump.resolveSibling(dump.getFileName() + ".identity");
  }

  /** What the identity file beside {@code dump} records; empty when there is none. */
  static Optional<Properties> metadata(Path dump) {
    Path f = identityFile(dump);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("Cannot read " + f + ": " + e.getMessage() + ". Fix: restore an intact copy of the"
          + " backup's .identity file.");
    }
    return Optional.of(p);
  }

  static Optional<Identity> identity(Path dump) {
    return metadata(dump).map(p -> new Identity(p.getProperty("host", ""), p.getProperty("port", ""),
        p.getProperty("database", ""), p.getProperty("environment", ""), p.getProperty("serverVersion", "")));
  }

  /**
   * The newest backup in {@code directory} taken of the database {@code here}; backups of other databases are
   * never chosen.
   */
  public static Path latest(Path directory, Identity here, BuildLog log) {
    List<Path> all = list(directory);
    int others = 0;
    for (Path p : all) {
      Optional<Identity> id = identity(p);
      if (id.isPresent() && id.get().sameDatabase(here)) {
        log.info("The newest backup of " + here.describe() + " is " + p
            + (others == 0 ? "" : " (" + others + " newer backup" + (others == 1 ? " is" : "s are")
                + " of another database or without an .identity file)"));
        return p;
      }
      others++;
    }
    throw new UserError("-D" + RollbackGoal.BACKUP_PROPERTY + "=" + RollbackGoal.LATEST + ": there is no backup of "
        + here.describe() + " in " + directory + (all.isEmpty() ? "" : " (the " + all.size() + " backup"
            + (all.size() == 1 ? " there is of another database or has" : "s there are of other databases or have")
            + " no .identity file)")
        + ". Fix: give the backup file's path with -D" + RollbackGoal.BACKUP_PROPERTY + "=FILE, or check"
        + " <database><backupDirectory>, -Ddevplugin.env and -Ddevplugin.db.url.");
  }

  /** Refuses a backup taken of another database than {@code here}. */
  public static void requireSameDatabase(Path dump, Identity here, BuildLog log) {
    Optional<Identity> id = identity(dump);
    if (id.isEmpty()) {
      log.warn("No identity file " + identityFile(dump).getFileName() + " beside " + dump + ": cannot check that"
          + " it is a backup of " + here.describe() + "; restoring it as named.");
      return;
    }
    if (!id.get().sameDatabase(here)) {
      throw new UserError("The backup " + dump + " is of " + id.get().describe() + ", not of " + here.describe()
          + ": nothing was restored. Fix: restore it into the database it was taken from (-Ddevplugin.env="
          + (id.get().environment().isEmpty() ? "ENV" : id.get().environment()) + ", -Ddevplugin.db.url), or"
          + " choose a backup of this database (-D" + RollbackGoal.BACKUP_PROPERTY + "=" + RollbackGoal.LATEST
          + ").");
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
          + " give a file written by migrate's backup (a .dump in <database><backupDirectory>,"
          + " ~/.devplugin/backups/GROUP_ID/ARTIFACT_ID by default).");
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
    Path post = null;
    try {
      pre = Files.createTempFile("devplugin-restore", ".sql");
      post = Files.createTempFile("devplugin-restore-acl", ".sql");
      StringBuilder sql = new StringBuilder();
      for (String s : schemas) {
        sql.append("DROP SCHEMA IF EXISTS \"").append(s.replace("\"", "\"\"")).append("\" CASCADE;\n");
      }
      Files.writeString(pre, sql.toString(), StandardCharsets.UTF_8);
      long start = System.nanoTime();
      Files.writeString(post, aclScript(metadata(dump).orElseGet(Properties::new), schemas),
          StandardCharsets.UTF_8);
      ProcessBuilder restore = new ProcessBuilder(pgRestore.path().toString(), "--file=-", dump.toString());
      restore.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process producer = restore.start();
      CompletableFuture<String> producerErr = PgTools.drain(producer.getErrorStream());
      PgTools.Run r;
      try (InputStream script = producer.getInputStream()) {
        r = PgTools.run(List.of(psql.path().toString(), "--no-psqlrc", "--quiet", "--no-password",
            "--set=ON_ERROR_STOP=1", "--single-transaction", "--file=" + pre, "--file=-", "--file=" + post),
            PgTools.environment(target, "devplugin restore"), script);
      }
      int producerCode = producer.waitFor();
      if (producerCode != 0 || r.exitCode() != 0) {
        throw new EnvironmentError("Restoring " + dump + " failed and was rolled back; the database is unchanged: "
            + (producerErr.join() + r.stderr()).strip() + ". Fix: " + target.user() + " must own schema "
            + String.join(", ", schemas) + " (or be its database's owner) and be a member of every role owning"
            + " an object in the backup, to replace it with owners and grants as they were.");
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
          if (post != null) {
            Files.deleteIfExists(post);
          }
        } catch (IOException e) {
          // a temporary file
        }
      }
    }
  }

  /**
   * Gives each restored schema exactly the access privileges recorded at backup time: {@code pg_dump} writes only the
   * difference to the schema's initial privileges, so a re-created {@code public} would lose {@code USAGE} for
   * {@code PUBLIC}.
   */
  static String aclScript(Properties metadata, Set<String> schemas) {
    StringBuilder sql = new StringBuilder();
    for (String s : schemas) {
      String acl = metadata.getProperty("acl." + s);
      if (acl == null) {
        continue;
      }
      sql.append("DO $devplugin$ DECLARE want aclitem[] := ").append(literal(acl)).append("::aclitem[];")
          .append(" nsp text := ").append(literal(s)).append("; g record; BEGIN")
          .append(" FOR g IN SELECT DISTINCT grantee FROM pg_namespace, aclexplode(nspacl)")
          .append(" WHERE nspname = nsp LOOP")
          .append(" EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %s CASCADE', nsp, CASE WHEN g.grantee = 0")
          .append(" THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END); END LOOP;")
          .append(" FOR g IN SELECT grantee, privilege_type, is_grantable FROM aclexplode(want) LOOP")
          .append(" EXECUTE format('GRANT %s ON SCHEMA %I TO %s%s', g.privilege_type, nsp, CASE WHEN g.grantee = 0")
          .append(" THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,")
          .append(" CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END); END LOOP; END $devplugin$;\n");
    }
    return sql.toString();
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
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
