package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The {@code jlink} base: a Java runtime linked from the build's own JDK, plus the shared libraries it loads (as
 * {@code ldd} lists them), {@code /etc/passwd} and {@code /etc/group} naming the numeric user, and {@code /tmp} (1777).
 * Needs no registry and no network. The linked runtime and its libraries are cached under
 * {@code ~/.cache/devplugin/jlink/<key>} (the key covers the JDK, its version and the modules). jlink runs without its
 * {@code generate-jli-classes} plugin, whose output differs from run to run; the rest of jlink's output is
 * reproducible, so the layers and the image digest are too.
 */
public final class JlinkBase {
  /** Where the runtime lives in the image (the same path as in eclipse-temurin images). */
  public static final String JAVA_HOME = "/opt/java/openjdk";

  /** The fix that leaves the jlink base: a registry base, named as a setting. */
  private static final String REGISTRY_BASE = OverrideProperties.setting("image.from", ImageSettings.DEFAULT_FROM);

  private static final Pattern LIBRARY = Pattern.compile("(/[^\\s)]+)");

  /**
   * The base: a Docker-format tar with the base files (jib's base image), then the runtime and library layers.
   */
  public record Base(Path baseTar, List<FileEntriesLayer> layers, String description) {}

  private JlinkBase() {}

  /**
   * The jlink base is linked from the build's JDK: it must run the project's classes. Fails naming the JDK needed and
   * {@code <image><from>} when {@code jdkFeature} is below {@code javaRelease}.
   */
  static void checkRelease(Integer javaRelease, int jdkFeature, String javaHome) {
    if (javaRelease != null && jdkFeature < javaRelease) {
      throw new UserError("<image><from>jlink</from> links the build's JDK (Java " + jdkFeature + ", " + javaHome
          + "), which cannot run classes compiled for Java " + javaRelease + " (maven.compiler.release). Fix: run"
          + " Maven with a JDK " + javaRelease + " or newer (JAVA_HOME), or set "
          + OverrideProperties.setting("image.from", ImageSettings.defaultFrom(javaRelease) != null
              ? ImageSettings.defaultFrom(javaRelease) : "eclipse-temurin:" + javaRelease + "-jre") + ".");
    }
  }

  public static Base prepare(List<String> modules, String userAndGroup, Path cacheRoot, Path work, BuildLog log) {
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
      throw new UserError("<image><from>jlink</from> links the build's JDK into a Linux image, but this build runs"
          + " on " + os + ". Fix: use a registry base, e.g. " + REGISTRY_BASE + ", or build on Linux.");
    }
    Path javaHome = Path.of(System.getProperty("java.home"));
    Path jmods = javaHome.resolve("jmods");
    if (!Files.isDirectory(jmods)) {
      throw new UserError("<image><from>jlink</from> needs the JDK's jmods, and " + javaHome + " has no jmods"
          + " directory (a JRE, or a JDK without jmods). Fix: run Maven with a full JDK (Debian:"
          + " openjdk-17-jdk-headless; JAVA_HOME pointing at it), or use a registry base: " + REGISTRY_BASE + ".");
    }
    String key = Fingerprint.start().add("layout", "3").add("java.home", javaHome)
        .add("version", System.getProperty("java.runtime.version")).add("arch", System.getProperty("os.arch"))
        .add("modules", String.join(",", modules)).hex().substring(0, 16);
    Path root = cacheRoot.resolve("jlink").resolve(key);
    if (Files.isRegularFile(root.resolve(".complete"))) {
      log.info("Base: jlink runtime of " + javaHome + " (" + String.join(",", modules) + "), cached in " + root);
    } else {
      log.info("Base: linking a Java runtime from " + javaHome + " with jlink (" + String.join(",", modules)
          + ") into " + root);
      link(javaHome, jmods, modules, root);
    }
    List<FileEntriesLayer> layers = new ArrayList<>();
    layers.add(recursive("jlink runtime", root.resolve("rootfs/opt"), "/opt"));
    layers.add(recursive("shared libraries", root.resolve("libs"), "/"));
    return new Base(baseTar(userAndGroup, work), layers,
        "jlink runtime of Java " + System.getProperty("java.runtime.version"));
  }

  private static void link(Path javaHome, Path jmods, List<String> modules, Path root) {
    Path tmp = root.resolveSibling(root.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      deleteTree(tmp);
      Path runtime = tmp.resolve("rootfs" + JAVA_HOME);
      Files.createDirectories(runtime.getParent());
      ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow(() -> new UserError("The JDK at " + javaHome
          + " has no jlink tool. Fix: run Maven with a full JDK, or use a registry base: " + REGISTRY_BASE + "."));
      StringWriter out = new StringWriter();
      int rc = jlink.run(new PrintWriter(out), new PrintWriter(out), "--module-path", jmods.toString(),
          "--add-modules", String.join(",", modules),
          // jlink's generate-jli-classes plugin writes different java.lang.invoke classes from run to run: off, so
          // that the runtime (and the image digest) is reproducible
          "--disable-plugin", "generate-jli-classes", "--strip-debug", "--no-man-pages", "--no-header-files",
          "--compress=2", "--output", runtime.toString());
      if (rc != 0) {
        throw new UserError("jlink failed for <image><jlinkModules> " + String.join(",", modules) + ": "
            + out.toString().strip() + ". Fix: list modules this JDK has (java --list-modules).");
      }
      Path libs = tmp.resolve("libs");
      Set<String> libraries = new TreeSet<>();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(runtime)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      Set<String> own = new TreeSet<>();
      files.forEach(f -> own.add(f.getFileName().toString()));
      for (Path f : files) {
        String n = f.getFileName().toString();
        if (f.getParent().getFileName().toString().equals("bin") || n.endsWith(".so") || n.equals("jspawnhelper")) {
          libraries.addAll(ldd(f, own));
        }
      }
      if (libraries.isEmpty()) {
        throw new EnvironmentError("ldd listed no shared libraries for the linked runtime in " + runtime
            + ". Fix: install ldd (Debian: libc-bin), or use a registry base: " + REGISTRY_BASE + ".");
      }
      for (String lib : libraries) {
        Path source = Path.of(lib);
        Path target = libs.resolve(lib.substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(source.toRealPath(), target, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(tmp.resolve("libraries.txt"), String.join("\n", libraries) + "\n");
      Files.writeString(tmp.resolve(".complete"), "");
      Files.createDirectories(root.getParent());
      if (Files.exists(root)) {
        deleteTree(root);
      }
      Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot build the jlink base in " + root + ": " + e.getMessage()
          + ". Check that the directory is writable.", e);
    } finally {
      deleteTree(tmp);
    }
  }

  /** The absolute library paths {@code ldd} lists for a binary or shared object. */
  static List<String> ldd(Path file, Set<String> runtimeLibraries) {
    try {
      Process p = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new EnvironmentError("ldd " + file + " did not finish within 30 s.");
      }
      List<String> libs = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.contains("not found") && !runtimeLibraries.contains(line.strip().split("\\s")[0])) {
          throw new EnvironmentError("ldd " + file + ": " + line.strip() + ". Fix: install the missing library.");
        }
        if (line.contains("not found")) {
          continue;
        }
        Matcher m = LIBRARY.matcher(line);
        while (m.find()) {
          String lib = m.group(1);
          if (!lib.startsWith(file.getParent().toString()) && Files.exists(Path.of(lib))
              && !lib.startsWith(file.toString())) {
            libs.add(lib);
          }
        }
      }
      return libs;
    } catch (IOException e) {
      throw new EnvironmentError("Cannot run ldd (needed by the jlink base to find the runtime's shared libraries): "
          + e.getMessage() + ". Fix: install libc-bin, or use a registry base: " + REGISTRY_BASE + ".", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentError("Interrupted while running ldd.", e);
    }
  }

  /** A directory tree as one layer, keeping execute bits (jib's defaults would drop them). */
  private static FileEntriesLayer recursive(String name, Path dir, String target) {
    try {
      return addTree(FileEntriesLayer.builder().setName(name), dir, target).build();
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read the cached jlink base in " + dir + ": " + e.getMessage()
          + ". Fix: delete " + dir.getParent() + " and build again.", e);
    }
  }

  /**
   * Adds a directory's content below {@code target}, keeping execute bits. A tree at {@code /} is added one top
   * folder at a time (jib-core cannot add an entry for the root itself).
   */
  static FileEntriesLayer.Builder addTree(FileEntriesLayer.Builder b, Path dir, String target) throws IOException {
    if (!target.equals("/")) {
      return b.addEntryRecursive(dir, AbsoluteUnixPath.get(target), (source, path) -> permissions(source));
    }
    try (Stream<Path> top = Files.list(dir)) {
      for (Path child : top.sorted().toList()) {
        b.addEntryRecursive(child, AbsoluteUnixPath.get("/" + child.getFileName()),
            (source, path) -> permissions(source));
      }
    }
    return b;
  }

  private static FilePermissions permissions(Path source) {
    if (Files.isDirectory(source)) {
      return FilePermissions.DEFAULT_FOLDER_PERMISSIONS;
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(source);
      return p.contains(PosixFilePermission.OWNER_EXECUTE) ? FilePermissions.fromOctalString("755")
          : FilePermissions.DEFAULT_FILE_PERMISSIONS;
    } catch (IOException e) {
      return FilePermissions.DEFAULT_FILE_PERMISSIONS;
    }
  }

  /**
   * {@code /etc/passwd}, {@code /etc/group} with the numeric user, {@code /tmp} (1777) and the user's home, as a
   * one-layer Docker-format image tar that serves as jib's base. (jib-core's file entries cannot carry the sticky bit
   * that {@code /tmp} needs, so this layer is written directly; it is small and byte-for-byte reproducible.)
   */
  static Path baseTar(String userAndGroup, Path work) {
    String[] ug = userAndGroup.split(":");
    int uid = Integer.parseInt(ug[0]);
    int gid = Integer.parseInt(ug[1]);
    byte[] passwd = ("root:x:0:0:root:/root:/sbin/nologin\napp:x:" + uid + ":" + gid
        + ":app:/home/app:/sbin/nologin\n").getBytes(StandardCharsets.UTF_8);
    byte[] group = ("root:x:0:\napp:x:" + gid + ":\n").getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream layer = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(layer)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      dir(tar, "etc/", 0755, 0, 0);
      file(tar, "etc/group", group, 0644);
      file(tar, "etc/passwd", passwd, 0644);
      dir(tar, "home/", 0755, 0, 0);
      dir(tar, "home/app/", 0755, uid, gid);
      dir(tar, "tmp/", 01777, 0, 0);
      tar.finish();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    byte[] layerBytes = layer.toByteArray();
    String diffId = "sha256:" + java.util.HexFormat.of().formatHex(sha256(layerBytes));
    String arch = architecture();
    String config = "{\"architecture\":\"" + arch + "\",\"config\":{\"Env\":[\"JAVA_HOME=" + JAVA_HOME
        + "\",\"PATH=" + JAVA_HOME + "/bin:/usr/local/bin:/usr/bin:/bin\",\"LANG=C.UTF-8\"],\"User\":\""
        + userAndGroup + "\"},\"created\":\"1970-01-01T00:00:00Z\",\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[\""
        + diffId + "\"],\"type\":\"layers\"}}";
    String manifest = "[{\"Config\":\"config.json\",\"Layers\":[\"layer.tar\"],\"RepoTags\":"
        + "[\"devplugin/jlink-base:latest\"]}]";
    java.io.ByteArrayOutputStream image = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(image)) {
      file(tar, "config.json", config.getBytes(StandardCharsets.UTF_8), 0644);
      file(tar, "layer.tar", layerBytes, 0644);
      file(tar, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8), 0644);
      tar.finish();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    Path out = work.resolve("jlink-base").resolve("base-" + uid + "-" + gid + ".tar");
    Outputs.writeIfChanged(out, image.toByteArray());
    return out;
  }

  /** The OCI architecture of this JVM ({@code amd64}, {@code arm64}, ...). */
  static String architecture() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> a;
    };
  }

  private static void dir(TarArchiveOutputStream tar, String name, int mode, int uid, int gid) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 | mode);
    e.setModTime(java.util.Date.from(FileEntriesLayer.DEFAULT_MODIFICATION_TIME));
    e.setIds(uid, gid);
    e.setUserName("");
    e.setGroupName("");
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~07777 | mode);
    e.setModTime(java.util.Date.from(FileEntriesLayer.DEFAULT_MODIFICATION_TIME));
    e.setSize(content.length);
    e.setIds(0, 0);
    e.setUserName("");
    e.setGroupName("");
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  static byte[] sha256(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a leftover temporary directory is replaced on the next run
    }
  }
}
