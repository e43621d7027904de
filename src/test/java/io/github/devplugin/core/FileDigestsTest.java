package io.github.devplugin.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileDigests}: a file whose path, size, modification time and file key are unchanged is not read again (shown
 * by changing its bytes behind the cache's back, with the same size and time restored); any change of those reads it.
 */
class FileDigestsTest {
  @TempDir
  Path tmp;

  private static final FileTime OLD = FileTime.fromMillis(1_700_000_000_000L);

  private static String sha(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private Path file(String content, FileTime time) throws Exception {
    Path f = tmp.resolve("lib.jar");
    Files.writeString(f, content);
    Files.setLastModifiedTime(f, time);
    return f;
  }

  private FileDigests load() {
    return new FileDigests(tmp.resolve("stamps/image-inputs.digests"), System::currentTimeMillis);
  }

  @Test
  void anUnchangedFileIsTakenFromTheSavedDigests() throws Exception {
    Path f = file("aaaa", OLD);
    FileDigests first = load();
    assertEquals(sha("aaaa"), first.sha256(f));
    first.save();
    assertTrue(Files.readString(first.file()).contains(sha("aaaa")));

    file("bbbb", OLD); // same size, same time, same file: not read again
    assertEquals(sha("aaaa"), load().sha256(f));
  }

  @Test
  void aFileAskedTwiceInOneRunIsReadOnce() throws Exception {
    Path f = file("aaaa", OLD);
    FileDigests d = load(); // nothing saved yet: a first build
    assertEquals(sha("aaaa"), d.sha256(f));
    file("bbbb", OLD); // same size, same time, same file: not read again within the run
    assertEquals(sha("aaaa"), d.sha256(f));
    file("bbbbb", OLD); // another size: read again
    assertEquals(sha("bbbbb"), d.sha256(f));
  }

  @Test
  void aChangedTimeSizeOrFileIsReadAgain() throws Exception {
    Path f = file("aaaa", OLD);
    FileDigests d = load();
    d.sha256(f);
    d.save();

    file("bbbb", FileTime.fromMillis(OLD.toMillis() + 1));
    assertEquals(sha("bbbb"), load().sha256(f), "another modification time");

    d = load();
    file("aaaa", OLD);
    d.sha256(f);
    d.save();
    file("aaaaa", OLD);
    assertEquals(sha("aaaaa"), load().sha256(f), "another size");

    d = load();
    file("aaaa", OLD);
    d.sha256(f);
    d.save();
    Path other = tmp.resolve("other"); // created while f exists: another inode
    Files.writeString(other, "cccc");
    Files.setLastModifiedTime(other, OLD);
    Files.move(other, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // a new file, old size and time
    if (Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey() != null) {
      assertEquals(sha("cccc"), load().sha256(f), "another file key");
    }
  }

  @Test
  void aFileModifiedJustBeforeItIsReadIsNotRemembered() throws Exception {
    long now = System.currentTimeMillis();
    Path f = file("aaaa", FileTime.fromMillis(now - 500));
    FileDigests d = new FileDigests(tmp.resolve("d.digests"), () -> now);
    assertEquals(sha("aaaa"), d.sha256(f));
    d.save();
    assertFalse(Files.readString(tmp.resolve("d.digests")).contains(sha("aaaa")));

    file("bbbb", FileTime.fromMillis(now - 500)); // changed within the time granularity: still seen
    assertEquals(sha("bbbb"), new FileDigests(tmp.resolve("d.digests"), () -> now).sha256(f));
  }

  @Test
  void savingKeepsOnlyTheFilesAskedForAndAFingerprintFollowsContent() throws Exception {
    Path a = file("aaaa", OLD);
    Path b = tmp.resolve("b.jar");
    Files.writeString(b, "x");
    Files.setLastModifiedTime(b, OLD);
    FileDigests d = load();
    d.sha256(a);
    d.sha256(b);
    d.save();
    FileDigests next = load();
    next.sha256(a);
    next.save();
    String saved = Files.readString(next.file());
    assertTrue(saved.contains(a.toString()));
    assertFalse(saved.contains(b.toString()));

    String before = Fingerprint.start().withDigests(load()).addFile("f", b).hex();
    Files.writeString(b, "y");
    Files.setLastModifiedTime(b, FileTime.fromMillis(OLD.toMillis() + 1000));
    assertNotEquals(before, Fingerprint.start().withDigests(load()).addFile("f", b).hex());
  }
}
