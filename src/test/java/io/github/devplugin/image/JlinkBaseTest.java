package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JlinkBaseTest {
  @TempDir
  Path tmp;

  @Test
  void aJdkWithoutJmodsFailsWithTheFix() {
    String javaHome = System.getProperty("java.home");
    System.setProperty("java.home", tmp.toString());
    try {
      assertThatThrownBy(() -> JlinkBase.prepare(List.of("java.base"), "10001:10001", tmp, tmp, BuildLog.NONE))
          .isInstanceOf(UserError.class).hasMessageContaining("has no jmods directory")
          .hasMessageContaining("-Ddevplugin.image.from=eclipse-temurin:17-jre");
    } finally {
      System.setProperty("java.home", javaHome);
    }
  }

  @Test
  void anotherOperatingSystemFailsWithTheFix() {
    String os = System.getProperty("os.name");
    System.setProperty("os.name", "Mac OS X");
    try {
      assertThatThrownBy(() -> JlinkBase.prepare(List.of("java.base"), "10001:10001", tmp, tmp, BuildLog.NONE))
          .isInstanceOf(UserError.class).hasMessageContaining("on Mac OS X")
          .hasMessageContaining("<from>eclipse-temurin:17-jre</from>");
    } finally {
      System.setProperty("os.name", os);
    }
  }

  @Test
  void theBaseFilesNameTheUserAndMakeTmpSticky() throws Exception {
    Path tar = JlinkBase.baseTar("10001:10002", tmp);
    byte[] first = Files.readAllBytes(tar);
    assertThat(Files.readAllBytes(JlinkBase.baseTar("10001:10002", tmp.resolve("again")))).isEqualTo(first);
    byte[] layer = null;
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals("layer.tar")) {
          layer = in.readAllBytes();
        }
      }
    }
    assertThat(layer).isNotNull();
    java.util.Map<String, TarArchiveEntry> entries = new java.util.TreeMap<>();
    String passwd = null;
    try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(layer))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), e);
        if (e.getName().equals("etc/passwd")) {
          passwd = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(01777);
    assertThat(entries.get("home/app/").getLongUserId()).isEqualTo(10001);
    assertThat(entries.get("home/app/").getLongGroupId()).isEqualTo(10002);
    assertThat(passwd).contains("app:x:10001:10002:");
  }
}
