package io.github.devplugin.sbom;

import io.github.devplugin.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds small Docker-format image tars (as jib writes them) from layers of files, for the SBOM and scan tests. */
public final class TestImages {
  private TestImages() {}

  /** A gzipped layer tar of path -> content. */
  public static byte[] layer(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes); TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey().substring(1));
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A Docker-format image tar with these layers and config. */
  public static Path dockerTar(Path file, String config, List<byte[]> layers) throws IOException {
    List<String> digests = new ArrayList<>();
    for (byte[] l : layers) {
      digests.add("sha256:" + HexFormat.of().formatHex(ImageFiles.sha256(l)));
    }
    return dockerTar(file, config, digests, layers);
  }

  /** A Docker-format image tar whose layer files are named by the given digests, whatever their bytes. */
  public static Path dockerTar(Path file, String config, List<String> digests, List<byte[]> layers)
      throws IOException {
    List<String> names = new ArrayList<>();
    Files.createDirectories(file.getParent());
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      put(tar, "config.json", config.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < layers.size(); i++) {
        String name = digests.get(i).substring("sha256:".length()) + ".tar.gz";
        names.add(name);
        put(tar, name, layers.get(i));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Config", "config.json");
      m.put("RepoTags", List.of("example/app:1"));
      m.put("Layers", names);
      put(tar, "manifest.json", Json.write(List.of(m)).getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  /** A jar with Maven metadata. */
  public static byte[] jar(String groupId, String artifactId, String version) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties"));
      zip.write(("groupId=" + groupId + "\nartifactId=" + artifactId + "\nversion=" + version + "\n")
          .getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("a/A.class"));
      zip.write(new byte[] {(byte) 0xca, (byte) 0xfe});
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  public static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A base layer like Debian's / distroless's: os-release, dpkg status (both forms), a JRE release file. */
  public static byte[] debianBase() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("/etc/os-release", text("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
        + "VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n"));
    files.put("/var/lib/dpkg/status", text("Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\n"
        + "Source: openssl\nVersion: 3.0.11-1~deb12u2\n\nPackage: removed-thing\nStatus: deinstall ok config-files\n"
        + "Version: 1.0\n"));
    files.put("/var/lib/dpkg/status.d/libc6", text("Package: libc6\nArchitecture: amd64\nSource: glibc\n"
        + "Version: 2.36-9+deb12u4\n"));
    files.put("/var/lib/dpkg/status.d/libc6.md5sums", text("abc  lib/x\n"));
    files.put("/opt/java/openjdk/release", text("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"17.0.13\"\n"
        + "JAVA_RUNTIME_VERSION=\"17.0.13+11\"\n"));
    return layer(files);
  }
}
