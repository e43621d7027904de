package io.github.devplugin.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInputsFactoryTest {
  @TempDir Path dir;

  private static Artifact artifact(String version, File file) {
    DefaultArtifact a = new DefaultArtifact("org.flywaydb", "flyway-core", version, "runtime", "jar", null,
        new DefaultArtifactHandler("jar"));
    a.setFile(file);
    return a;
  }

  private static String key(String maven, Artifact... artifacts) {
    return ImageInputsFactory.artifactsKey(maven, List.of(artifacts));
  }

  @Test
  void theMigratorsCollectionIsKeyedByThePluginsArtifactsAndTheirFiles() throws Exception {
    Path jar = Files.writeString(dir.resolve("flyway-core.jar"), "one");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    String key = key("3.9.11", artifact("11.0.0", jar.toFile()));
    // the same artifacts: the same key
    assertThat(key("3.9.11", artifact("11.0.0", jar.toFile()))).isEqualTo(key);
    // another version, another file, the file rebuilt (a SNAPSHOT: another time or size), one artifact more
    assertThat(key("3.9.11", artifact("11.0.1", jar.toFile()))).isNotEqualTo(key);
    Path other = Files.writeString(dir.resolve("other.jar"), "one");
    Files.setLastModifiedTime(other, FileTime.fromMillis(1_700_000_000_000L));
    assertThat(key("3.9.11", artifact("11.0.0", other.toFile()))).isNotEqualTo(key);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_001_000L));
    assertThat(key("3.9.11", artifact("11.0.0", jar.toFile()))).isNotEqualTo(key);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    assertThat(key("3.9.11", artifact("11.0.0", jar.toFile()))).isEqualTo(key);
    Files.writeString(jar, "one more");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    assertThat(key("3.9.11", artifact("11.0.0", jar.toFile()))).isNotEqualTo(key);
    assertThat(key("4.0.0", artifact("11.0.0", jar.toFile())))
        .isNotEqualTo(key("3.9.11", artifact("11.0.0", jar.toFile())));
    assertThat(key("3.9.11", artifact("11.0.0", jar.toFile()), artifact("11.0.0", null)))
        .isNotEqualTo(key("3.9.11", artifact("11.0.0", jar.toFile())));
  }
}
