package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitInfoTest {
  @TempDir
  Path dir;

  private void git(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com",
        "-c", "commit.gpgsign=false"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  @Test
  void outsideAWorkTreeThereIsNoRevisionAndNothingDirty() {
    assertThat(GitInfo.revision(dir)).isNull();
    assertThat(GitInfo.dirty(dir)).isFalse();
    assertThat(GitInfo.read(dir)).isEqualTo(new GitInfo.State(null, false));
  }

  @Test
  void modifiedAndUntrackedFilesMakeTheTreeDirtyIgnoredOnesDoNot() throws Exception {
    git("init", "-q");
    Files.writeString(dir.resolve(".gitignore"), "target/\n");
    Files.createDirectories(dir.resolve("src"));
    Files.writeString(dir.resolve("src/App.java"), "class App {}\n");
    git("add", ".");
    git("commit", "-q", "-m", "first");
    assertThat(GitInfo.revision(dir)).matches("[0-9a-f]{40}");
    assertThat(GitInfo.dirty(dir)).isFalse();
    // build output is ignored: not dirty
    Files.createDirectories(dir.resolve("target/classes"));
    Files.writeString(dir.resolve("target/classes/App.class"), "x");
    assertThat(GitInfo.dirty(dir)).isFalse();
    // a new source file git does not know yet goes into the build: dirty, also seen from a subdirectory
    Files.writeString(dir.resolve("src/New.java"), "class New {}\n");
    assertThat(GitInfo.dirty(dir)).isTrue();
    // both at once: the same answers as one after the other
    assertThat(GitInfo.read(dir)).isEqualTo(new GitInfo.State(GitInfo.revision(dir), true));
    // without the dirty flag (an image without a git-sha tag): the same revision, git status not asked
    assertThat(GitInfo.read(dir, false)).isEqualTo(new GitInfo.State(GitInfo.revision(dir), false));
    assertThat(GitInfo.dirty(dir.resolve("target"))).isTrue();
    Files.delete(dir.resolve("src/New.java"));
    assertThat(GitInfo.dirty(dir)).isFalse();
    // a modified tracked file
    Files.writeString(dir.resolve("src/App.java"), "class App { int x; }\n");
    assertThat(GitInfo.dirty(dir)).isTrue();
    git("commit", "-q", "-am", "second");
    assertThat(GitInfo.dirty(dir)).isFalse();
    assertThat(GitInfo.read(dir).dirty()).isFalse();
    assertThat(GitInfo.read(dir).revision()).matches("[0-9a-f]{40}");
  }
}
