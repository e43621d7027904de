package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.ConfigException;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePlannerTest {
  @TempDir
  Path dir;

  private ImagePlan plan(String xml, String env, String version) throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    EffectiveConfig c = TestProjects.config(TestProjects.info(dir, version), xml, env);
    return ImagePlanner.plan(c, TestProjects.inputs(dir), BuildLog.NONE);
  }

  @Test
  void plansLayersEntrypointEnvironmentPortsLabelsAndUser() throws Exception {
    ImagePlan p = plan("""
        <configuration>
          <service><name>demo</name><port>9000</port><env><LOG_LEVEL>info</LOG_LEVEL></env>
            <jvmFlags><jvmFlag>-Xmx64m</jvmFlag></jvmFlags>
            <ports><port><number>9090</number><name>metrics</name></port></ports>
            <volumes><volume><name>data</name><mountPath>/var/lib/demo</mountPath></volume></volumes></service>
          <image><to>registry.example.com/team/demo</to><labels><team>core</team></labels></image>
          <database><enabled>false</enabled></database>
        </configuration>""", "dev", "1.2.3");
    assertThat(p.mainClass()).isEqualTo("demo.App");
    assertThat(p.entrypoint()).containsExactly("java", "-Xmx64m", "-cp", "/app/resources:/app/classes:/app/libs/*",
        "demo.App");
    assertThat(p.environment()).containsEntry("PORT", "9000").containsEntry("LOG_LEVEL", "info");
    assertThat(p.portNames()).containsExactly("9000/tcp", "9090/tcp");
    assertThat(p.ports()).containsExactly(com.google.cloud.tools.jib.api.buildplan.Port.tcp(9000),
        com.google.cloud.tools.jib.api.buildplan.Port.tcp(9090));
    assertThat(p.platforms()).containsExactly(new com.google.cloud.tools.jib.api.buildplan.Platform("amd64", "linux"));
    assertThat(p.target().getRegistry()).isEqualTo("registry.example.com");
    assertThat(p.target().getRepository()).isEqualTo("team/demo");
    assertThat(p.target().getTag()).contains("1.2.3");
    assertThat(p.base()).isEqualTo(BaseImage.parse("eclipse-temurin:17-jre"));
    assertThat(p.production()).isFalse();
    assertThat(p.user()).isEqualTo("10001:10001");
    assertThat(p.repository()).isEqualTo("registry.example.com/team/demo");
    assertThat(p.tags()).containsExactly("1.2.3");
    assertThat(p.labels()).containsEntry("org.opencontainers.image.title", "demo")
        .containsEntry("org.opencontainers.image.version", "1.2.3")
        .containsEntry("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567")
        .containsEntry("org.opencontainers.image.licenses", "Apache-2.0")
        .containsEntry("org.opencontainers.image.source", "https://example.com/demo.git")
        .containsEntry("team", "core");
    assertThat(p.layers()).extracting(l -> l.getName()).containsExactly("health probe", "classes",
        "writable directories");
    // the volume's mount path exists, owned by the user; the application files are root's
    var writable = p.layers().get(2).getEntries().get(0);
    assertThat(writable.getExtractionPath().toString()).isEqualTo("/var/lib/demo");
    assertThat(writable.getOwnership()).isEqualTo("10001:10001");
    assertThat(p.layers().get(1).getEntries()).allSatisfy(e -> assertThat(e.getOwnership()).isEmpty());
    assertThat(p.layers().get(0).getEntries().get(0).getExtractionPath().toString())
        .isEqualTo(ImageLayout.PROBE_DIR + "/io/github/devplugin/probe/HealthCheck.class");
  }

  @Test
  void tagStrategyGivesVersionGitShaAndLatestOnlyWhenAsked() throws Exception {
    ImagePlan p = plan("""
        <configuration><database><enabled>false</enabled></database>
          <image><tagStrategy>version,git-sha</tagStrategy><tags>extra</tags></image></configuration>""", "dev",
        "2.0.0");
    assertThat(p.tags()).containsExactly("2.0.0", "0123456", "extra");
    ImagePlan latest = plan("""
        <configuration><database><enabled>false</enabled></database>
          <image><to>r.example.com/x:edge</to><tagStrategy>version,latest</tagStrategy></image></configuration>""",
        "dev", "2.0.0");
    assertThat(latest.tags()).containsExactly("edge", "2.0.0", "latest");
  }

  @Test
  void prodRefusesLatestAndSnapshotTags() {
    assertThatThrownBy(() -> plan("""
        <configuration><database><enabled>false</enabled></database><environments><prod/></environments>
        </configuration>""", "prod", "1.0.0-SNAPSHOT"))
        .isInstanceOf(UserError.class).hasMessageContaining("Tag '1.0.0-SNAPSHOT'")
        .hasMessageContaining("forbids mutable tags");
    assertThatThrownBy(() -> plan("""
        <configuration><database><enabled>false</enabled></database>
          <environments><prod><image><tagStrategy>version,latest</tagStrategy></image></prod></environments>
        </configuration>""", "prod", "1.0.0"))
        .isInstanceOf(UserError.class).hasMessageContaining("Tag 'latest'");
  }

  @Test
  void gitShaOfADirtyWorkTreeIsTaggedDirtyAndRefusedInProd() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    ImageInputs clean = TestProjects.inputs(dir);
    ImageInputs dirty = dirty(clean);
    String xml = """
        <configuration><database><enabled>false</enabled></database>
          <image><tagStrategy>version,git-sha</tagStrategy></image><environments><prod/></environments>
        </configuration>""";
    EffectiveConfig dev = TestProjects.config(TestProjects.info(dir, "2.0.0"), xml, "dev");
    io.github.devplugin.testing.RecordingLog log = new io.github.devplugin.testing.RecordingLog();
    assertThat(ImagePlanner.plan(dev, dirty, log).tags()).containsExactly("2.0.0", "0123456-dirty");
    assertThat(log.lines).anyMatch(w -> w.startsWith("WARN") && w.contains("uncommitted changes")
        && w.contains("0123456-dirty"));
    assertThat(ImagePlanner.plan(dev, clean, BuildLog.NONE).tags()).containsExactly("2.0.0", "0123456");
    // the label names the commit itself
    assertThat(ImagePlanner.plan(dev, dirty, BuildLog.NONE).labels())
        .containsEntry("org.opencontainers.image.revision", clean.gitRevision());
    EffectiveConfig prod = TestProjects.config(TestProjects.info(dir, "2.0.0"), xml, "prod");
    assertThat(ImagePlanner.plan(prod, clean, BuildLog.NONE).tags()).containsExactly("2.0.0", "0123456");
    assertThatThrownBy(() -> ImagePlanner.plan(prod, dirty, BuildLog.NONE)).isInstanceOf(UserError.class)
        .hasMessageContaining("Tag '0123456-dirty'").hasMessageContaining("forbids mutable tags")
        .hasMessageContaining("commit or stash").hasMessageContaining("<allowMutableTags>");
  }

  private static ImageInputs dirty(ImageInputs clean) {
    return new ImageInputs(clean.classesDirectory(), clean.dependencies(), clean.manifest(), clean.migratorJars(),
        clean.gitRevision(), true, null, clean.workDirectory());
  }

  @Test
  void dirtinessIsNeededExactlyWhenItChangesThePlan() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    ImageInputs clean = TestProjects.inputs(dir);
    ImageInputs dirty = dirty(clean);
    for (String strategy : java.util.List.of("version", "version,latest", "latest", "version,git-sha", "git-sha")) {
      EffectiveConfig c = TestProjects.config(TestProjects.info(dir, "2.0.0"), """
          <configuration><database><enabled>false</enabled></database>
            <image><tagStrategy>%s</tagStrategy></image></configuration>""".formatted(strategy), "dev");
      ImagePlan a = ImagePlanner.plan(c, clean, BuildLog.NONE);
      ImagePlan b = ImagePlanner.plan(c, dirty, BuildLog.NONE);
      boolean same = a.tags().equals(b.tags()) && a.labels().equals(b.labels());
      // GitInfo.read skips `git status` when dirtyNeeded is false: that must never change the image
      assertThat(GitInfo.dirtyNeeded(c.image())).as(strategy).isEqualTo(!same);
    }
  }

  @Test
  void prodMayAllowMutableTagsExplicitly() throws Exception {
    ImagePlan p = plan("""
        <configuration><database><enabled>false</enabled></database>
          <environments><prod><image><allowMutableTags>true</allowMutableTags></image></prod></environments>
        </configuration>""", "prod", "1.0.0-SNAPSHOT");
    assertThat(p.tags()).containsExactly("1.0.0-SNAPSHOT");
  }

  @Test
  void invalidTagsNameTheSetting() {
    assertThatThrownBy(() -> plan("""
        <configuration><database><enabled>false</enabled></database><image><tags>bad:tag</tags></image>
        </configuration>""", "dev", "1.0.0"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("<image><tags>")
        .hasMessageContaining("'bad:tag' is not a valid image tag");
    assertThatThrownBy(() -> plan("<configuration><database><enabled>false</enabled></database></configuration>",
        "dev", "1.0+build"))
        .isInstanceOf(UserError.class).hasMessageContaining("<service><version>");
  }

  @Test
  void mainClassFromConfigurationManifestOrTheOnlyMainMethod() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "a"), "demo.Tool",
        TestProjects.app("demo", "Tool", "b")));
    EffectiveConfig c = TestProjects.config(TestProjects.info(dir, "1"),
        "<configuration><database><enabled>false</enabled></database></configuration>", "dev");
    assertThatThrownBy(() -> ImagePlanner.plan(c, TestProjects.inputs(dir), BuildLog.NONE))
        .isInstanceOf(UserError.class).hasMessageContaining("several classes have a main method: demo.App, demo.Tool")
        .hasMessageContaining("<service><mainClass>");
    ImageInputs withManifest = new ImageInputs(dir.resolve("target/classes"), List.of(), Map.of("Main-Class", "demo.Tool"), List.of(), null,
        dir.resolve("work"));
    assertThat(ImagePlanner.plan(c, withManifest, BuildLog.NONE).mainClass()).isEqualTo("demo.Tool");
    EffectiveConfig missing = TestProjects.config(TestProjects.info(dir, "1"), """
        <configuration><service><mainClass>demo.Nope</mainClass></service>
          <database><enabled>false</enabled></database></configuration>""", "dev");
    assertThatThrownBy(() -> ImagePlanner.plan(missing, TestProjects.inputs(dir), BuildLog.NONE))
        .isInstanceOf(UserError.class).hasMessageContaining("The main class demo.Nope (from <service><mainClass>) is"
            + " not on the image's class path").hasMessageContaining("Fix: set <service><mainClass>");
  }

  @Test
  void noMainMethodAtAll() throws Exception {
    TestProjects.project(dir, Map.of("demo.Lib", "package demo; public class Lib {}"));
    EffectiveConfig c = TestProjects.config(TestProjects.info(dir, "1"),
        "<configuration><database><enabled>false</enabled></database></configuration>", "dev");
    assertThatThrownBy(() -> ImagePlanner.plan(c, TestProjects.inputs(dir), BuildLog.NONE))
        .isInstanceOf(UserError.class).hasMessageContaining("No main class");
  }

  @Test
  void imageSettingsValidation() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    assertThatThrownBy(() -> TestProjects.config(TestProjects.info(dir, "1"), """
        <configuration><image><user>app</user><platforms>linux/amd64,windows</platforms>
          <tagStrategy>calver</tagStrategy><target>registry</target><dockerHost>/var/run/x.sock</dockerHost>
          <writableDirectories>relative/dir</writableDirectories></image></configuration>""", "dev"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'app' is not a numeric user")
        .hasMessageContaining("'windows' is not a platform")
        .hasMessageContaining("'calver' is not a tag strategy")
        .hasMessageContaining("the registry target needs a target image")
        .hasMessageContaining("is not a Docker Engine address")
        .hasMessageContaining("'relative/dir' is not an absolute directory");
    assertThatThrownBy(() -> TestProjects.config(TestProjects.info(dir, "1"), """
        <configuration><image><from>jlink</from><platforms>linux/amd64,linux/arm64</platforms></image>
        </configuration>""", "dev"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("the jlink base is built from this machine's JDK");
    assertThatThrownBy(() -> TestProjects.config(TestProjects.info(dir, "1"), "<configuration/>", "dev",
        List.of(new ConfigLoader.Override("image.target", "registry", "-Ddevplugin.image.target"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("-Ddevplugin.image.to");
  }

  @Test
  void insecureOnlyWhenConfiguredOrLoopback() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    var unset = TestProjects.config(TestProjects.info(dir, "1"), "<configuration/>", "dev").image();
    assertThat(unset.allowsInsecure(true)).isTrue();
    assertThat(unset.allowsInsecure(false)).isFalse();
    var off = TestProjects.config(TestProjects.info(dir, "1"),
        "<configuration><image><insecure>false</insecure></image></configuration>", "dev").image();
    assertThat(off.allowsInsecure(true)).isFalse();
    var on = TestProjects.config(TestProjects.info(dir, "1"),
        "<configuration><image><insecure>true</insecure></image></configuration>", "dev").image();
    assertThat(on.allowsInsecure(false)).isTrue();
    assertThat(RegistryCheck.isLoopback("127.0.0.1:5000")).isTrue();
    assertThat(RegistryCheck.isLoopback("localhost:5000")).isTrue();
    assertThat(RegistryCheck.isLoopback("registry.example.com")).isFalse();
  }

  @TempDir
  Path outside;

  private ImagePlan planExtra(String imageXml, io.github.devplugin.testing.RecordingLog log) throws Exception {
    EffectiveConfig c = TestProjects.config(TestProjects.info(dir, "1.0.0"), "<configuration><database><enabled>"
        + "false</enabled></database><image>" + imageXml + "</image></configuration>", "dev");
    return ImagePlanner.plan(c, TestProjects.inputs(dir), log);
  }

  private static java.util.Map<String, String> extraModes(ImagePlan p) {
    java.util.Map<String, String> modes = new java.util.TreeMap<>();
    p.layers().stream().filter(l -> l.getName().equals("extra files")).flatMap(l -> l.getEntries().stream())
        .forEach(e -> modes.put(e.getExtractionPath().toString(), e.getPermissions().toOctalString()));
    return modes;
  }

  @Test
  void extraDirectoriesKeepExecuteBitsAndAreRootOwned() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    Path extra = java.nio.file.Files.createDirectories(dir.resolve("src/main/image/opt/tools"));
    java.nio.file.Files.writeString(extra.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    java.nio.file.Files.setPosixFilePermissions(extra.resolve("run.sh"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    java.nio.file.Files.writeString(extra.resolve("notes.txt"), "plain");
    java.nio.file.Files.setPosixFilePermissions(extra.resolve("notes.txt"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
    ImagePlan p = planExtra("", new io.github.devplugin.testing.RecordingLog());
    assertThat(extraModes(p)).containsEntry("/opt/tools/run.sh", "755").containsEntry("/opt/tools/notes.txt", "644")
        .containsEntry("/opt/tools", "755").containsEntry("/opt", "755");
    assertThat(p.layers().stream().filter(l -> l.getName().equals("extra files")).flatMap(l -> l.getEntries()
        .stream())).allSatisfy(e -> assertThat(e.getOwnership()).isEmpty());
  }

  @Test
  void extraDirectoriesOutsideTheProjectNeedAnExplicitLoggedOptIn() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    java.nio.file.Files.writeString(outside.resolve("ca.pem"), "certificate");
    String relative = dir.relativize(outside).toString(); // ../../...: escapes through '..'
    assertThat(relative).startsWith("..");
    for (String entry : List.of(relative, outside.toString())) {
      assertThatThrownBy(() -> planExtra("<extraDirectories>" + entry + "</extraDirectories>",
          new io.github.devplugin.testing.RecordingLog()))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("<image><extraDirectories> entry '" + entry + "' resolves to " + outside.toRealPath())
          .hasMessageContaining("outside the project directory")
          .hasMessageContaining("<allowOutsideProject><directory>" + entry + "</directory></allowOutsideProject>");
    }
    // a symbolic link inside the project that points out is resolved, and refused the same way
    java.nio.file.Files.createSymbolicLink(dir.resolve("certs"), outside);
    assertThatThrownBy(() -> planExtra("<extraDirectories>certs</extraDirectories>",
        new io.github.devplugin.testing.RecordingLog()))
        .isInstanceOf(UserError.class).hasMessageContaining("entry 'certs' resolves to " + outside.toRealPath());
    // opted in: copied, and said so
    var log = new io.github.devplugin.testing.RecordingLog();
    ImagePlan p = planExtra("<extraDirectories>certs</extraDirectories><allowOutsideProject>certs"
        + "</allowOutsideProject>", log);
    assertThat(extraModes(p)).containsOnlyKeys("/ca.pem");
    assertThat(log.lines).anySatisfy(l -> assertThat(l).startsWith("WARN <image><extraDirectories> entry 'certs'"
        + " resolves to " + outside.toRealPath()).contains("<image><allowOutsideProject> lists it"));
    // an opt-in for an entry that is not listed is a configuration error
    assertThatThrownBy(() -> planExtra("<allowOutsideProject>certs</allowOutsideProject>",
        new io.github.devplugin.testing.RecordingLog()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("<image><allowOutsideProject>")
        .hasMessageContaining("'certs' is not one of <extraDirectories>");
  }

  @Test
  void linksInsideExtraDirectoriesMayNotLeadOutOrNowhere() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    Path image = java.nio.file.Files.createDirectories(dir.resolve("src/main/image/etc"));
    java.nio.file.Files.writeString(outside.resolve("shadow"), "secret");
    java.nio.file.Files.createSymbolicLink(image.resolve("shadow"), outside.resolve("shadow"));
    assertThatThrownBy(() -> planExtra("", new io.github.devplugin.testing.RecordingLog()))
        .isInstanceOf(UserError.class).hasMessageContaining("entry 'src/main/image' holds the symbolic link")
        .hasMessageContaining("shadow -> " + outside.toRealPath().resolve("shadow"));
    java.nio.file.Files.delete(image.resolve("shadow"));
    java.nio.file.Files.createSymbolicLink(image.resolve("gone"), image.resolve("nothing-here"));
    assertThatThrownBy(() -> planExtra("", new io.github.devplugin.testing.RecordingLog()))
        .isInstanceOf(UserError.class).hasMessageContaining("holds a broken symbolic link");
    // a link that stays inside the project is fine
    java.nio.file.Files.delete(image.resolve("gone"));
    java.nio.file.Files.writeString(dir.resolve("motd"), "hello");
    java.nio.file.Files.createSymbolicLink(image.resolve("motd"), dir.resolve("motd"));
    assertThat(extraModes(planExtra("", new io.github.devplugin.testing.RecordingLog()))).containsKey("/etc/motd");
  }

  @Test
  void aMissingExtraDirectoryIsAnErrorNamingTheElementExceptTheDefault() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    assertThat(extraModes(planExtra("", new io.github.devplugin.testing.RecordingLog()))).isEmpty();
    assertThatThrownBy(() -> planExtra("<extraDirectories>../../../../../../../../nowhere-etc</extraDirectories>",
        new io.github.devplugin.testing.RecordingLog()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("<image><extraDirectories> entry '../../../../../../../../nowhere-etc' does not exist")
        .hasMessageContaining("Fix: correct the path");
    java.nio.file.Files.writeString(dir.resolve("file.txt"), "x");
    assertThatThrownBy(() -> planExtra("<extraDirectories>file.txt</extraDirectories>",
        new io.github.devplugin.testing.RecordingLog()))
        .isInstanceOf(UserError.class).hasMessageContaining("entry 'file.txt' is not a directory");
  }

  @Test
  void theImageResolvesReferencesToWhatItCarriesAndLeavesOutWhatOnlyADeploymentGives() throws Exception {
    EffectiveConfig c = TestProjects.config(TestProjects.info(dir, "1.0.0"), """
        <service><name>demo</name><port>9000</port><env>
          <URL>http://0.0.0.0:${PORT}/x?a=$$1</URL><DB>${DATABASE_URL}</DB><PLAIN>5$ "q"</PLAIN>
        </env></service><secrets><secret><name>API_KEY</name><env>X_API_KEY</env></secret></secrets>""", "dev");
    io.github.devplugin.testing.RecordingLog log = new io.github.devplugin.testing.RecordingLog();
    Map<String, String> env = ImagePlanner.environment(c.service(), c.service().framework().profile(), log);
    assertThat(env).containsEntry("URL", "http://0.0.0.0:9000/x?a=$1").containsEntry("PLAIN", "5$ \"q\"")
        .doesNotContainKey("DB");
    assertThat(log.text()).contains("Left out of the image's environment").contains("DB (refers to DATABASE_URL)");

    // references between <env> entries: refused once, when the configuration is loaded, for every output
    assertThatThrownBy(() -> TestProjects.config(TestProjects.info(dir, "1.0.0"), """
        <service><name>demo</name><env><A>x</A><B>${A}/y</B></env></service>""", "dev"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("<service><env><B>: references ${A}, another entry")
        .hasMessageContaining("Fix: write its value here instead.");
  }
}
