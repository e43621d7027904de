package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
  private String gitOut(Path in, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.waitFor() == 0 ? out : null;
  }

  /** What the files give, checked against git itself, and that it came from the files (not git). */
  private void sameAsGit(Path in) throws Exception {
    String files = GitInfo.fromFiles(in, System.getenv());
    assertThat(files).as("read from the files in " + in).isNotNull();
    assertThat(files).isEqualTo(gitOut(in, "rev-parse", "--verify", "-q", "HEAD"));
    assertThat(GitInfo.revision(in)).isEqualTo(files);
  }

  @Test
  void theRevisionReadFromTheFilesIsWhatGitGives() throws Exception {
    git("init", "-q", "-b", "main");
    // an unborn branch: not from the files (git decides, and says there is no revision)
    assertThat(GitInfo.fromFiles(dir, System.getenv())).isNull();
    assertThat(GitInfo.revision(dir)).isNull();
    Files.createDirectories(dir.resolve("src/sub"));
    Files.writeString(dir.resolve("src/sub/App.java"), "class App {}\n");
    git("add", ".");
    git("commit", "-q", "-m", "first");
    sameAsGit(dir); // a loose ref
    sameAsGit(dir.resolve("src/sub")); // from a subdirectory
    git("pack-refs", "--all");
    assertThat(dir.resolve(".git/refs/heads/main")).doesNotExist();
    sameAsGit(dir); // a packed ref
    git("commit", "-q", "--allow-empty", "-m", "second"); // a loose ref newer than the packed one
    sameAsGit(dir);
    String second = GitInfo.revision(dir);
    git("checkout", "-q", "--detach", "HEAD~1"); // a detached HEAD
    sameAsGit(dir);
    assertThat(GitInfo.revision(dir)).isNotEqualTo(second);
    git("checkout", "-q", "main");
    // a linked work tree: .git is a file naming the git directory, whose commondir holds the refs
    Path linked = dir.resolveSibling(dir.getFileName() + "-linked");
    try {
      git("worktree", "add", "-q", "-b", "other", linked.toString(), "HEAD~1");
      assertThat(linked.resolve(".git")).isRegularFile();
      sameAsGit(linked);
      assertThat(GitInfo.revision(linked)).isNotEqualTo(second);
      sameAsGit(dir);
    } finally {
      git("worktree", "remove", "--force", linked.toString());
    }
    // git's own environment variables may point elsewhere: git is asked
    assertThat(GitInfo.fromFiles(dir, Map.of("GIT_DIR", "/elsewhere", "PATH", System.getenv("PATH")))).isNull();
    assertThat(GitInfo.fromFiles(dir, Map.of("GIT_SSL_CAINFO", "/ca.pem", "PATH", System.getenv("PATH"))))
        .isEqualTo(GitInfo.revision(dir));
    // no git on the PATH: git cannot answer, so neither do the files
    assertThat(GitInfo.fromFiles(dir, Map.of("PATH", dir.resolve("none").toString()))).isNull();
  }
}
