package io.github.devplugin.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.framework.Launch;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeGoalTest {
  @TempDir
  Path project;

  final RecordingLog log = new RecordingLog();
  final List<String> lines = log.lines;

  ComposeGoal.Result run(String xml, Path out) {
    Map<String, EffectiveConfig> configs = Fixture.load(project, xml);
    return ComposeGoal.run(Fixture.input(configs, out, null, "x.Main"), stamp(), log);
  }

  /** The goal's stamp in the one naming scheme: target/devplugin/stamps/compose.fingerprint. */
  UpToDate stamp() {
    return UpToDate.forGoal(project.resolve("target/devplugin"), "compose", null);
  }

  @Test
  void anImageReferenceTheImageGoalWouldRefuseIsNeverWritten() {
    Path out = project.resolve("target/devplugin/compose");
    Map<String, EffectiveConfig> configs = Fixture.load(project, ComposeGeneratorTest.NOTES);
    var record = new io.github.devplugin.image.ImageRecord("127.0.0.1:5555/Rel/App", List.of("x"), null, null,
        "127.0.0.1:5555/Rel/App::x", "registry", null, List.of("linux/amd64"));
    assertThatThrownBy(() -> ComposeGoal.run(Fixture.input(configs, out, record, "x.Main"), stamp(), log))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("'127.0.0.1:5555/Rel/App::x' (from target/devplugin/image.json")
        .hasMessageContaining("is not a valid image reference").hasMessageContaining("Fix:");
    assertThat(out).doesNotExist();
  }

  @Test
  void imageJsonDecidesByItsBytesAndIsReadAndCheckedOnlyToGenerate() throws Exception {
    Path out = project.resolve("target/devplugin/compose");
    Path imageJson = io.github.devplugin.image.ImageRecord.file(project.resolve("target/devplugin"));
    Map<String, EffectiveConfig> configs = Fixture.load(project, ComposeGeneratorTest.NOTES);
    ComposeGenerator.Input input = Fixture.input(configs, out, null, "x.Main");
    assertThat(ComposeGoal.run(input, imageJson, stamp(), log, null).upToDate()).isFalse();
    assertThat(ComposeGoal.run(input, imageJson, stamp(), log, null).upToDate()).isTrue();

    String ref = "registry.example.com/team/notes@sha256:" + "e".repeat(64);
    new io.github.devplugin.image.ImageRecord("registry.example.com/team/notes", List.of("1.0.0"),
        "sha256:" + "e".repeat(64), null, ref, "registry", null, List.of("linux/amd64")).withEnvironment("dev")
        .write(imageJson);
    assertThat(ComposeGoal.run(input, imageJson, stamp(), log, null).upToDate()).isFalse();
    assertThat(Files.readString(out.resolve("docker-compose.yml"))).contains("image: \"" + ref + "\"");
    assertThat(ComposeGoal.run(input, imageJson, stamp(), log, null).upToDate()).isTrue();
    // the same files as with the record given
    String withRecord = Files.readString(out.resolve("docker-compose.yml"));
    Path other = project.resolve("other");
    ComposeGoal.run(Fixture.input(configs, other, io.github.devplugin.image.ImageRecord.read(imageJson).get(),
        "x.Main"), UpToDate.forGoal(project.resolve("target/other"), "compose", null), log);
    assertThat(Files.readString(other.resolve("docker-compose.yml"))).isEqualTo(withRecord);

    // an image built for prod is not the dev stack's
    new io.github.devplugin.image.ImageRecord("registry.example.com/team/notes", List.of("1.0.0"),
        "sha256:" + "e".repeat(64), null, ref, "registry", null, List.of("linux/amd64")).withEnvironment("prod")
        .write(imageJson);
    assertThat(ComposeGoal.run(input, imageJson, stamp(), log, null).upToDate()).isFalse();
    assertThat(Files.readString(out.resolve("docker-compose.yml"))).doesNotContain(ref);
    // a hand-edited reference is checked again
    new io.github.devplugin.image.ImageRecord("x", List.of("1.0.0"), null, null, "Bad/Ref", "registry", null,
        List.of("linux/amd64")).withEnvironment("dev").write(imageJson);
    assertThatThrownBy(() -> ComposeGoal.run(input, imageJson, stamp(), log, null))
        .isInstanceOf(UserError.class).hasMessageContaining("'Bad/Ref' (from target/devplugin/image.json");
  }

  @Test
  void writesOnceThenIsUpToDateAndRewritesOnlyWhatChanged() throws Exception {
    Path out = project.resolve("target/devplugin/compose");
    ComposeGoal.Result first = run(ComposeGeneratorTest.NOTES, out);
    assertThat(first.upToDate()).isFalse();
    assertThat(first.written()).containsExactly("docker-compose.yml", "docker-compose.override.yml",
        "docker-compose.prod.yml", "docker-compose.staging.yml", ".env.example");
    FileTime before = Files.getLastModifiedTime(out.resolve("docker-compose.yml"));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
        out.resolve("docker-compose.yml")))).isEqualTo("rw-r--r--");

    ComposeGoal.Result second = run(ComposeGeneratorTest.NOTES, out);
    assertThat(second.upToDate()).isTrue();
    assertThat(second.written()).isEmpty();
    assertThat(lines).anyMatch(l -> l.startsWith("INFO Compose files in") && l.contains("are up to date"));
    assertThat(Files.getLastModifiedTime(out.resolve("docker-compose.yml"))).isEqualTo(before);

    // a value only prod uses: only prod's override changes
    ComposeGoal.Result third = run(ComposeGeneratorTest.NOTES.replace("<compose><restart>always</restart></compose>",
        "<compose><restart>on-failure</restart></compose>"), out);
    assertThat(third.upToDate()).isFalse();
    assertThat(third.written()).containsExactly("docker-compose.prod.yml");
    assertThat(Files.readString(out.resolve("docker-compose.prod.yml"))).contains("restart: on-failure");

    // a deleted output is written again even though the configuration did not change
    Files.delete(out.resolve(".env.example"));
    assertThat(run(ComposeGeneratorTest.NOTES.replace("<compose><restart>always</restart></compose>",
        "<compose><restart>on-failure</restart></compose>"), out).written()).containsExactly(".env.example");
  }

  @Test
  void theFilesOfARemovedEnvironmentAreDeletedButForeignFilesAreKept() throws Exception {
    Path out = project.resolve("target/devplugin/compose");
    run(ComposeGeneratorTest.NOTES, out);
    Files.writeString(out.resolve("docker-compose.mine.yml"), "services: {}\n");
    ComposeGoal.Result r = run(ComposeGeneratorTest.NOTES.replaceAll("(?s)<staging>.*?</staging>", ""), out);
    assertThat(r.deleted()).containsExactly("docker-compose.staging.yml");
    assertThat(out.resolve("docker-compose.staging.yml")).doesNotExist();
    assertThat(out.resolve("docker-compose.mine.yml")).exists();
  }

  @Test
  void badInputWritesNothing() {
    Path out = project.resolve("target/devplugin/compose");
    assertThatThrownBy(() -> run("<service><name>postgres</name></service><database><enabled>true</enabled>"
        + "</database>", out)).isInstanceOf(UserError.class).hasMessageContaining("clashes");
    assertThat(out).doesNotExist();
    assertThat(stamp().stampFile()).doesNotExist();
  }

  @Test
  void outsideTargetTheEnvFileIsIgnoredAndInTheProjectDirectoryTheUsersGitignoreIsOnlyChecked() throws Exception {
    Path deploy = project.resolve("deploy/compose");
    run(ComposeGeneratorTest.NOTES, deploy);
    assertThat(Files.readString(deploy.resolve(".gitignore"))).contains("\n.env\n");
    assertThat(Files.readString(deploy.resolve("docker-compose.override.yml")))
        .contains("\"../../target/classes:/app/classes:ro\"");
    assertThat(Files.readString(deploy.resolve("docker-compose.yml"))).contains("context: \"../../target/devplugin/docker\"");

    lines.clear();
    run(ComposeGeneratorTest.NOTES, project);
    assertThat(project.resolve(".gitignore")).doesNotExist();
    assertThat(lines).anyMatch(l -> l.startsWith("WARN .env holds the secrets") && l.contains("add a line '.env'"));
    assertThat(Files.readString(project.resolve("docker-compose.override.yml")))
        .contains("\"./target/classes:/app/classes:ro\"");

    Files.writeString(project.resolve(".gitignore"), "target/\n.env\n");
    lines.clear();
    run(ComposeGeneratorTest.NOTES + "<!-- changed -->", project);
    Files.writeString(stamp().stampFile(), "stale\n");
    run(ComposeGeneratorTest.NOTES, project);
    assertThat(lines).noneMatch(l -> l.contains(".gitignore"));
  }

  @Test
  void aSchemaViolationFailsNamingTheFileAndThePathAndWritesNothing() throws Exception {
    // the bundled schema, made stricter: no start_period in health checks
    String strict;
    try (java.io.InputStream in = ComposeSchema.class.getClassLoader().getResourceAsStream(ComposeSchema.RESOURCE)) {
      tools.jackson.databind.node.ObjectNode schema = (tools.jackson.databind.node.ObjectNode)
          io.github.devplugin.core.Json.mapper().readTree(in);
      ((tools.jackson.databind.node.ObjectNode) schema.get("definitions").get("healthcheck").get("properties"))
          .remove("start_period");
      strict = schema.toString();
    }
    ComposeSchema schema = ComposeSchema.load(new java.io.ByteArrayInputStream(strict.getBytes(
        java.nio.charset.StandardCharsets.UTF_8)), "strict");
    Path out = project.resolve("target/devplugin/compose");
    Map<String, EffectiveConfig> configs = Fixture.load(project, ComposeGeneratorTest.NOTES);
    assertThatThrownBy(() -> ComposeGoal.run(Fixture.input(configs, out, null, "x.Main"),
        stamp(), log, schema))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("do not follow the Compose Specification (schema from strict)")
        .hasMessageMatching("(?s).*docker-compose.yml at services.notes.healthcheck \\(line \\d+\\): property"
            + " 'start_period' is not defined in the schema.*")
        .hasMessageContaining("docker-compose.yml at services.postgres.healthcheck (line ")
        .hasMessageContaining("Nothing was written.");
    assertThat(out).doesNotExist();
  }

  @Test
  void theMainClassComesFromTheJarManifest() throws Exception {
    Path jar = project.resolve("app.jar");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.example.App");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), m)) {
      j.flush();
    }
    Launch plain = new Launch(Launch.Kind.CLASSPATH, "Main-Class", null, null, List.of(), null, null);
    assertThat(ComposeGoal.mainClassOf(jar, plain)).isEqualTo("io.example.App");
    assertThat(ComposeGoal.mainClassOf(project.resolve("missing.jar"), plain)).isNull();
    assertThat(ComposeGoal.mainClassOf(null, plain)).isNull();
  }

  @Test
  void springBootsMainClassIsStartClassNeverTheLauncher() throws Exception {
    Path jar = project.resolve("boot.jar");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
    m.getMainAttributes().putValue("Start-Class", "io.example.NotesApplication");
    try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), m)) {
      j.flush();
    }
    List<String> launchers = io.github.devplugin.framework.Profiles.SPRING_BOOT_LAUNCHERS;
    assertThat(ComposeGoal.mainClassOf(jar, new Launch(Launch.Kind.CLASSPATH, "Start-Class", null, null, launchers,
        null, null))).isEqualTo("io.example.NotesApplication");
    // the launcher alone is no main class for the class path
    assertThat(ComposeGoal.mainClassOf(jar, new Launch(Launch.Kind.CLASSPATH, "Other", null, null, launchers,
        null, null))).isNull();
    // the build's configured main class first
    assertThat(ComposeGoal.mainClassOf(jar, new Launch(Launch.Kind.CLASSPATH, "Start-Class", "io.example.Other",
        null, launchers, null, null))).isEqualTo("io.example.Other");
    assertThat(ComposeGoal.mainClassOf(jar, new Launch(Launch.Kind.FAST_JAR, "Main-Class", null,
        "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), "quarkus-app", "quarkus-run.jar"))).isNull();
  }
}
