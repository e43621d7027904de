package io.github.devplugin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorded "nothing to do" decision holds exactly while its key and every file it read are unchanged. */
class RecheckTest {
  static final List<String> LINES = List.of("Kubernetes manifests for dev are up to date (7 objects).", "second line");

  @TempDir
  Path dir;
  Path input;
  Path tree;
  Recheck recheck;

  @BeforeEach
  void files() throws IOException {
    input = Files.writeString(dir.resolve("image.json"), "{\"reference\":\"a\"}");
    tree = Files.createDirectories(dir.resolve("migrations"));
    Files.createDirectories(tree.resolve("sub"));
    Files.writeString(tree.resolve("V1__a.sql"), "create table a (id int);");
    Files.writeString(tree.resolve("sub/V2__b.sql"), "create table b (id int);");
    backdate();
    recheck = Recheck.forGoal(dir.resolve("devplugin"), "k8s", "the key\nwith a second line");
  }

  /** Every file and directory older than the racy window, as files are when a later build runs. */
  void backdate() throws IOException {
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.setLastModifiedTime(p, old);
      }
    }
  }

  boolean record() {
    return recheck.record(Map.of(), Recheck::state, List.of(input, dir.resolve("absent.txt")), List.of(tree), LINES);
  }

  @Test
  void aRecordedDecisionIsRepeatedWithItsLines() {
    assertThat(recheck.lines()).isEmpty();
    assertThat(record()).isTrue();
    assertThat(recheck.file()).isEqualTo(dir.resolve("devplugin/stamps/k8s.recheck"));
    assertThat(recheck.lines()).contains(LINES);
  }

  @Test
  void anotherKeyDecidesAnew() {
    assertThat(record()).isTrue();
    assertThat(new Recheck(recheck.file(), "the key\nwith a second line!").lines()).isEmpty();
    assertThat(new Recheck(recheck.file(), "the key").lines()).isEmpty();
  }

  @Test
  void theKeyIsKeptAsADigestNeverAsText() throws IOException {
    // the key holds the project's properties, among them those of settings.xml profiles, where tokens are kept
    Recheck withToken = Recheck.forGoal(dir.resolve("devplugin"), "compose", "sonar.token=s3cr3t-abcdef\nmore");
    assertThat(withToken.record(Map.of(), Recheck::state, List.of(input), List.of(), LINES)).isTrue();
    assertThat(Files.readString(withToken.file())).doesNotContain("s3cr3t").doesNotContain("sonar.token");
    assertThat(withToken.lines()).contains(LINES);
    assertThat(new Recheck(withToken.file(), "sonar.token=s3cr3t-abcdeg\nmore").lines()).isEmpty();
  }

  @Test
  void aChangedFileDecidesAnew() throws IOException {
    assertThat(record()).isTrue();
    Files.writeString(input, "{\"reference\":\"b\"}");
    assertThat(recheck.lines()).isEmpty();
  }

  @Test
  void aFileChangedInATreeDecidesAnewEvenWithItsSizeAndDirectoryUnchanged() throws IOException {
    assertThat(record()).isTrue();
    FileTime time = Files.getLastModifiedTime(tree.resolve("sub/V2__b.sql"));
    Files.writeString(tree.resolve("sub/V2__b.sql"), "create table c (id int);");
    assertThat(recheck.lines()).isEmpty();
    Files.setLastModifiedTime(tree.resolve("sub/V2__b.sql"), time);
    assertThat(recheck.lines()).as("same size and time, other file key or content: only the time tells")
        .isPresent();
  }

  @Test
  void aFileAddedDeepInATreeDecidesAnew() throws IOException {
    assertThat(record()).isTrue();
    Files.writeString(tree.resolve("sub/V3__c.sql"), "create table c (id int);");
    assertThat(recheck.lines()).isEmpty();
  }

  @Test
  void aFileThatAppearsWhereNoneWasDecidesAnew() throws IOException {
    assertThat(record()).isTrue();
    Files.writeString(dir.resolve("absent.txt"), "now here");
    assertThat(recheck.lines()).isEmpty();
  }

  @Test
  void aFileModifiedWithinTheRacyWindowIsNotRecorded() throws IOException {
    assertThat(record()).isTrue();
    Files.writeString(tree.resolve("V1__a.sql"), "create table a (id bigint);");
    assertThat(record()).isFalse();
    assertThat(recheck.file()).doesNotExist();
    backdate();
    assertThat(record()).isTrue();
  }

  @Test
  void aFileTheDecisionReadThatChangedSinceIsNotRecorded() {
    Map<Path, String> checked = Map.of(input, "the state when it was read");
    assertThat(recheck.record(checked, Recheck::state, List.of(), List.of(), LINES)).isFalse();
    assertThat(recheck.record(Map.of(input, Recheck.state(input)), Recheck::state, List.of(), List.of(), LINES))
        .isTrue();
    assertThat(recheck.lines()).contains(LINES);
  }

  @Test
  void aLineThatCannotBeKeptOnOneLineOrNoLineAtAllIsNotRecorded() {
    assertThat(recheck.record(Map.of(), Recheck::state, List.of(input), List.of(), List.of("a\nb"))).isFalse();
    assertThat(recheck.record(Map.of(), Recheck::state, List.of(input), List.of(), List.of())).isFalse();
    assertThat(recheck.file()).doesNotExist();
  }

  @Test
  void anUnreadableOrForeignRecordDecidesAnew() throws IOException {
    assertThat(record()).isTrue();
    String text = Files.readString(recheck.file());
    Files.writeString(recheck.file(), text.replace("devplugin-recheck 2", "devplugin-recheck 1"));
    assertThat(recheck.lines()).isEmpty();
    Files.writeString(recheck.file(), text.substring(0, text.length() / 2));
    assertThat(recheck.lines()).isEmpty();
    Files.writeString(recheck.file(), text.replace("\nl ", "\nx "));
    assertThat(recheck.lines()).isEmpty();
    Files.writeString(recheck.file(), text);
    assertThat(recheck.lines()).contains(LINES);
  }

  @Test
  void statesTellFilesDirectoriesAndAbsence() {
    assertThat(Recheck.state(dir.resolve("absent.txt"))).isEqualTo("absent");
    assertThat(Recheck.state(tree)).startsWith("d ");
    assertThat(Recheck.state(input)).startsWith("f " + "{\"reference\":\"a\"}".length() + " ");
  }
}
