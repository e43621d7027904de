package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.EnvironmentError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigratorJarTest {
  @TempDir Path tmp;

  private static Path jar(Path file, String... names) throws IOException {
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream out = new ZipOutputStream(os)) {
      for (String name : names) {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0);
        out.putNextEntry(e);
        if (!name.endsWith("/")) {
          out.write(("content of " + name + " ").repeat(50).getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
      }
    }
    return file;
  }

  private static List<String> names(Path jar) throws IOException {
    try (ZipFile z = new ZipFile(jar.toFile())) {
      List<String> out = new ArrayList<>();
      for (ZipEntry e : Collections.list(z.entries())) {
        out.add(e.getName());
      }
      return out;
    }
  }

  @Test
  void keepsOnlyDevpluginsOwnEntriesInTheirOrderWithTheirContent() throws IOException {
    Path bundled = jar(tmp.resolve("devplugin-maven-plugin-1.0.jar"), "META-INF/", "META-INF/MANIFEST.MF",
        "META-INF/LICENSE", "META-INF/NOTICE", "META-INF/maven/", "META-INF/maven/plugin.xml",
        "META-INF/maven/io.github.devplugin/devplugin-maven-plugin/pom.properties", "io/", "io/github/",
        "io/github/devplugin/", "io/github/devplugin/db/MigratorMain.class", "io/fabric8/Kube.class",
        "com/google/cloud/tools/jib/Jib.class", "META-INF/maven/io.fabric8/kubernetes-client/pom.properties",
        "META-INF/services/io.fabric8.Foo", "META-INF/LICENSE.txt", "io/github/other/X.class",
        // Jackson 3, relocated under devplugin's package by the POM's shade relocation: a library, left out
        "io/github/devplugin/shaded/", "io/github/devplugin/shaded/jackson/databind/ObjectMapper.class");

    Path slice = MigratorJar.forLayer(bundled, tmp.resolve("out"));

    assertThat(slice).isEqualTo(tmp.resolve("out/devplugin-maven-plugin-1.0.jar"));
    assertThat(names(slice)).containsExactly("META-INF/", "META-INF/MANIFEST.MF", "META-INF/LICENSE",
        "META-INF/NOTICE", "META-INF/maven/", "META-INF/maven/plugin.xml",
        "META-INF/maven/io.github.devplugin/devplugin-maven-plugin/pom.properties", "io/", "io/github/",
        "io/github/devplugin/", "io/github/devplugin/db/MigratorMain.class");
    try (ZipFile z = new ZipFile(slice.toFile()); ZipFile src = new ZipFile(bundled.toFile())) {
      ZipEntry e = z.getEntry("io/github/devplugin/db/MigratorMain.class");
      ZipEntry s = src.getEntry("io/github/devplugin/db/MigratorMain.class");
      assertThat(e.getCrc()).isEqualTo(s.getCrc());
      assertThat(e.getCompressedSize()).isEqualTo(s.getCompressedSize());
      assertThat(z.getInputStream(e).readAllBytes()).isEqualTo(src.getInputStream(s).readAllBytes());
    }
  }

  @Test
  void theSameJarGivesAByteIdenticalSliceAndAnUnchangedJarIsNotReadAgain() throws IOException {
    Path bundled = jar(tmp.resolve("p.jar"), "io/github/devplugin/A.class", "org/lib/B.class");
    Path first = MigratorJar.forLayer(bundled, tmp.resolve("a"));
    Path second = MigratorJar.forLayer(bundled, tmp.resolve("b"));
    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));

    // the key (path, size, time) matches: the slice is taken as it is, without reading the plugin jar
    Files.writeString(first, "kept");
    assertThat(MigratorJar.forLayer(bundled, tmp.resolve("a"))).isEqualTo(first);
    assertThat(Files.readString(first)).isEqualTo("kept");

    // a rebuilt plugin jar (another time) is sliced again
    Files.setLastModifiedTime(bundled, FileTime.fromMillis(Files.getLastModifiedTime(bundled).toMillis() + 2000));
    MigratorJar.forLayer(bundled, tmp.resolve("a"));
    assertThat(names(first)).containsExactly("io/github/devplugin/A.class");
  }

  @Test
  void aJarOfDevpluginsOwnEntriesOrAClassesDirectoryIsUsedAsItIs() throws IOException {
    Path own = jar(tmp.resolve("own.jar"), "META-INF/MANIFEST.MF", "io/github/devplugin/A.class");
    assertThat(MigratorJar.forLayer(own, tmp.resolve("out"))).isEqualTo(own);
    assertThat(tmp.resolve("out")).doesNotExist();
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    assertThat(MigratorJar.forLayer(classes, tmp.resolve("out"))).isEqualTo(classes);
  }

  @Test
  void anUnreadableJarNamesTheFix() throws IOException {
    Path broken = Files.writeString(tmp.resolve("broken.jar"), "not a zip");
    assertThatThrownBy(() -> MigratorJar.forLayer(broken, tmp.resolve("out")))
        .isInstanceOf(EnvironmentError.class)
        .hasMessageContaining(broken.toString())
        .hasMessageContaining("delete it from the local repository");
  }
}
