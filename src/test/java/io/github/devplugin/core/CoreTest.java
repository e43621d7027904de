package io.github.devplugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreTest {
  @TempDir
  Path dir;

  @Test
  void maskerHidesLongerValuesFirstAndIgnoresBlanks() {
    Masker m = new Masker();
    m.add("abc");
    m.add("abcdef");
    m.add("  ");
    assertThat(m.mask("x abcdef y abc z")).isEqualTo("x **** y **** z");
    assertThat(m.mask("no secrets  here")).isEqualTo("no secrets  here");
  }

  @Test
  void maskerHidesPasswordsThatUrlsCarryRegisteredOrNot() {
    Masker m = new Masker();
    assertThat(m.mask("Cannot reach jdbc:postgresql://app:s3cr3t-pw@db.internal:5432/notes: unknown host"))
        .isEqualTo("Cannot reach jdbc:postgresql://app:****@db.internal:5432/notes: unknown host");
    assertThat(m.mask("redis://:r3dis@cache:6379 and https://u:p%40ss@registry.example.com/v2/"))
        .isEqualTo("redis://:****@cache:6379 and https://u:****@registry.example.com/v2/");
    assertThat(m.mask("jdbc:postgresql://db/notes?user=app&password=s3cr3t&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/notes?user=app&password=****&ssl=true");
    // what carries no credentials stays as it is
    assertThat(m.mask("jdbc:postgresql://db.internal:5432/notes 127.0.0.1:5077/app@sha256:abc redis://cache:6379"))
        .isEqualTo("jdbc:postgresql://db.internal:5432/notes 127.0.0.1:5077/app@sha256:abc redis://cache:6379");
  }

  @Test
  void outputsWriteOnlyWhenContentChanges() throws Exception {
    Path f = dir.resolve("a/b.txt");
    assertThat(Outputs.writeIfChanged(f, "one")).isTrue();
    Files.setLastModifiedTime(f, FileTime.fromMillis(0));
    assertThat(Outputs.writeIfChanged(f, "one")).isFalse();
    assertThat(Files.getLastModifiedTime(f).toMillis()).isZero();
    assertThat(Outputs.writeIfChanged(f, "two")).isTrue();
    assertThat(Files.readString(f)).isEqualTo("two");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-r--r--");
    Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    assertThat(Outputs.writeIfChanged(f, "three")).isTrue();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .as("a rewritten file keeps its mode").isEqualTo("rwxr-x---");
    try (var s = Files.list(f.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("b.txt");
    }
  }

  @Test
  void fingerprintsChangeWithAnyInputAndNotOtherwise() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.writeString(tree.resolve("x.sql"), "select 1");
    String a = Fingerprint.start().add("k", "v").addTree("t", tree).hex();
    String b = Fingerprint.start().add("k", "v").addTree("t", tree).hex();
    assertThat(a).isEqualTo(b);
    Files.writeString(tree.resolve("x.sql"), "select 2");
    assertThat(Fingerprint.start().add("k", "v").addTree("t", tree).hex()).isNotEqualTo(a);
    assertThat(Fingerprint.start().add("ab", "c").hex()).isNotEqualTo(Fingerprint.start().add("a", "bc").hex());
    UpToDate u = new UpToDate(dir.resolve("stamp"));
    assertThat(u.isUpToDate(a)).isFalse();
    u.record(a);
    assertThat(u.isUpToDate(a)).isTrue();
    assertThat(u.isUpToDate(b + "x")).isFalse();
  }

  @Test
  void jsonIsSortedAndStable() {
    Map<String, Object> m = new TreeMap<>(Map.of("b", 1, "a", Map.of("z", true, "y", "s")));
    String once = Json.write(m);
    assertThat(once).isEqualTo(Json.write(m));
    assertThat(once.indexOf("\"a\"")).isLessThan(once.indexOf("\"b\""));
    assertThat(once.indexOf("\"y\"")).isLessThan(once.indexOf("\"z\""));
    assertThat(once).endsWith("\n");
  }
}
