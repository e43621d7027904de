package io.github.devplugin.image;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Outputs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * devplugin's own part of its plugin jar, for the migrator layer ({@link ImageLayout#MIGRATOR_DIR}).
 *
 * <p>The published plugin jar bundles most of the libraries the goals use (jib-core, the fabric8 client, CycloneDX,
 * ...: one artifact for Maven to resolve instead of dozens); the migrator needs none of them, only devplugin's own
 * classes next to {@link MigratorArtifacts#ROOTS}. This writes a jar of the plugin jar's own entries (everything under
 * {@value #OWN_PACKAGE} but {@value #SHADED_PACKAGE}, {@code META-INF/maven/}{@value #OWN_GROUP}, the manifest,
 * LICENSE and NOTICE), copied raw (the compressed bytes as they are, in the jar's order), so the same plugin jar
 * gives a byte-identical slice on every machine. A jar that holds nothing else is used as it is.
 *
 * <p>The slice keeps the plugin jar's file name, in {@code directory}. A key file next to it records the plugin jar's
 * path, size and modification time: when they match, the slice is not read or written again.
 */
public final class MigratorJar {
  private MigratorJar() {}

  static final String OWN_PACKAGE = "io/github/devplugin/";
  static final String OWN_GROUP = "io.github.devplugin/";
  /** Where the plugin jar bundles Jackson 3, relocated (the POM's shade relocation): a library, not devplugin's own. */
  static final String SHADED_PACKAGE = OWN_PACKAGE + "shaded/";
  private static final List<String> OWN_FILES = List.of("META-INF/MANIFEST.MF", "META-INF/LICENSE",
      "META-INF/NOTICE", "META-INF/maven/plugin.xml");

  /** Whether {@code name} is one of devplugin's own entries (or a directory above them). */
  static boolean own(String name) {
    if (name.startsWith(SHADED_PACKAGE)) {
      return false;
    }
    if (name.startsWith(OWN_PACKAGE) || name.startsWith("META-INF/maven/" + OWN_GROUP) || OWN_FILES.contains(name)) {
      return true;
    }
    return name.endsWith("/") && (OWN_PACKAGE.startsWith(name) || ("META-INF/maven/" + OWN_GROUP).startsWith(name));
  }

  /**
   * The jar to put in the migrator layer for {@code pluginJar}: {@code pluginJar} itself when it holds only
   * devplugin's own entries (or is a directory), else its slice in {@code directory}.
   */
  public static Path forLayer(Path pluginJar, Path directory) {
    if (!Files.isRegularFile(pluginJar)) {
      return pluginJar;
    }
    Path slice = directory.resolve(pluginJar.getFileName().toString());
    Path keyFile = directory.resolve(pluginJar.getFileName() + ".source");
    String key;
    try {
      BasicFileAttributes a = Files.readAttributes(pluginJar, BasicFileAttributes.class);
      key = pluginJar.toAbsolutePath().normalize() + "\n" + a.size() + "\n" + a.lastModifiedTime().toMillis() + "\n";
      if (Files.isRegularFile(slice) && Files.isRegularFile(keyFile)
          && key.equals(Files.readString(keyFile, StandardCharsets.UTF_8))) {
        return slice;
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read devplugin's plugin jar " + pluginJar + ": " + e.getMessage(), e);
    }
    byte[] content = slice(pluginJar);
    if (content == null) {
      return pluginJar;
    }
    Outputs.writeIfChanged(slice, content);
    Outputs.writeIfChanged(keyFile, key);
    return slice;
  }

  /** The jar of {@code jar}'s own entries, or null when it holds nothing else. */
  static byte[] slice(Path jar) {
    try (ZipFile zip = ZipFile.builder().setPath(jar).get()) {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
      if (entries.stream().allMatch(e -> own(e.getName()))) {
        return null;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
        for (ZipArchiveEntry e : entries) {
          if (own(e.getName())) {
            try (InputStream raw = zip.getRawInputStream(e)) {
              out.addRawArchiveEntry(e, raw);
            }
          }
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read devplugin's plugin jar " + jar + " for the migrator layer: "
          + e.getMessage() + ". Fix: delete it from the local repository so that Maven resolves it again.", e);
    }
  }
}
