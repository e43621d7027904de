package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerfileGeneratorTest {
  @TempDir
  Path dir;

  private static final String XML = """
      <configuration>
        <service><name>demo</name><port>9000</port><healthPath>/ready</healthPath>
          <env><GREETING>say "hi" for $5</GREETING></env>
          <volumes><volume><name>data</name><mountPath>/var/lib/demo</mountPath></volume></volumes></service>
        <image><from>registry.example.com/base/jre:17@sha256:0123456789012345678901234567890123456789012345678901234567890123</from></image>
        <database><enabled>false</enabled></database>
        <environments>
          <prod><service><env><GREETING>hello</GREETING></env></service></prod>
        </environments>
      </configuration>""";

  @Test
  void stagesTheLayersAndWritesATargetPerEnvironment() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    Map<String, EffectiveConfig> targets = new LinkedHashMap<>();
    EffectiveConfig dev = TestProjects.config(TestProjects.info(dir, "1.0.0"), XML, "dev");
    targets.put("dev", dev);
    targets.put("prod", TestProjects.config(TestProjects.info(dir, "1.0.0"), XML, "prod"));
    RecordingLog log = new RecordingLog();
    Path dockerfile = DockerfileGoal.run(dev, targets, TestProjects.inputs(dir), log);
    String d = Files.readString(dockerfile);

    assertThat(d).contains("ARG BASE_IMAGE=registry.example.com/base/jre:17@sha256:0123");
    assertThat(d).contains("FROM ${BASE_IMAGE} AS build");
    // the plan's layers in the plan's order: probe, classes, then the writable directory owned by the user
    assertThat(d).containsSubsequence("COPY layers/01-health-probe/ /", "COPY layers/02-classes/ /",
        "COPY --chown=10001:10001 layers/03-writable-directories/ /");
    assertThat(d).contains("FROM build AS dev").contains("FROM build AS prod");
    // the debug agent is on the dev target's own command line, never in JAVA_TOOL_OPTIONS, which the HEALTHCHECK's
    // JVM would read too (and fail binding the same port)
    assertThat(d).doesNotContain("JAVA_TOOL_OPTIONS").contains("EXPOSE 9000/tcp 5005/tcp");
    String devTarget = d.substring(d.indexOf("FROM build AS dev"), d.indexOf("FROM build AS prod"));
    assertThat(devTarget).contains("ENTRYPOINT [\"java\",\"-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,"
        + "address=*:5005\",\"-cp\",\"/app/resources:/app/classes:/app/libs/*\",\"demo.App\"]");
    assertThat(d.substring(d.indexOf("FROM build AS prod"))).doesNotContain("jdwp");
    // values are quoted and escaped; each target carries its environment's values
    assertThat(d).contains("GREETING=\"say \\\"hi\\\" for \\$5\"").contains("GREETING=\"hello\"");
    assertThat(d).contains("USER 10001:10001");
    assertThat(d).contains("HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD "
        + "[\"java\",\"-XX:+UseSerialGC\",\"-XX:TieredStopAtLevel=1\",\"-Xss512k\",\"-Xmx32m\",\"-cp\","
        + "\"/opt/devplugin/probe\",\"io.github.devplugin.probe.HealthCheck\",\"http://127.0.0.1:9000/ready\"]");
    assertThat(d).contains("ENTRYPOINT [\"java\",\"-cp\",\"/app/resources:/app/classes:/app/libs/*\",\"demo.App\"]");

    Path context = dockerfile.getParent();
    Path probe = context.resolve("layers/01-health-probe/opt/devplugin/probe/io/github/devplugin/probe/HealthCheck.class");
    assertThat(probe).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(probe))).isEqualTo("rw-r--r--");
    assertThat(context.resolve("layers/02-classes/app/classes/demo/App.class")).isRegularFile();
    assertThat(context.resolve("layers/03-writable-directories/var/lib/demo")).isDirectory();
    assertThat(Files.readString(context.resolve(".dockerignore"))).contains("*\n!layers/\n");
    // COPY keeps the context's times: every staged entry has Jib's fixed time, so a rebuild reuses identical layers
    try (var walk = Files.walk(context.resolve("layers/01-health-probe"))) {
      assertThat(walk.filter(p -> !p.equals(context.resolve("layers/01-health-probe"))).toList()).isNotEmpty()
          .allSatisfy(p -> assertThat(Files.getLastModifiedTime(p).toMillis()).isEqualTo(1000L));
    }
    // the staged mode writes no source Dockerfile
    assertThat(context.resolve("Dockerfile.source")).doesNotExist();

    // same inputs: byte-identical, and no work
    RecordingLog again = new RecordingLog();
    DockerfileGoal.run(dev, targets, TestProjects.inputs(dir), again);
    assertThat(again.contains("is up to date")).isTrue();
    assertThat(Files.readString(dockerfile)).isEqualTo(d);
    // the stamp lives with every goal's stamps, not in the build context
    assertThat(dev.project().devpluginDirectory().resolve("stamps/dockerfile.fingerprint")).isRegularFile();
    try (var list = Files.list(context)) {
      assertThat(list.map(f -> f.getFileName().toString()).sorted().toList())
          .containsExactly(".dockerignore", "Dockerfile", "layers");
    }
  }

  @Test
  void aJlinkBaseFallsBackToTheDefaultBaseWithAComment() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    EffectiveConfig c = TestProjects.config(TestProjects.info(dir, "1.0.0"),
        "<configuration><image><from>jlink</from></image><database><enabled>false</enabled></database>"
            + "</configuration>", "dev");
    ImagePlan p = ImagePlanner.plan(c, TestProjects.inputs(dir), BuildLog.NONE, false);
    String d = DockerfileGenerator.generate(p, Map.of("dev", p), java.util.List.of());
    assertThat(d).contains("ARG BASE_IMAGE=eclipse-temurin:17-jre")
        .contains("a jlink runtime of the build's JDK, which a Dockerfile cannot name");
  }

  private static final String SOURCE_XML = """
      <configuration>
        <service><name>demo</name><port>9000</port>
          <volumes><volume><name>data</name><mountPath>/var/lib/demo</mountPath></volume></volumes></service>
        <image><from>registry.example.com/base/jre:17</from>
          <dockerfile><mode>source</mode>%s</dockerfile></image>
        <database><enabled>false</enabled></database>
        <environments><staging/><prod/></environments>
      </configuration>""";

  @Test
  void theSourceModeBuildsTheProjectInTheBuildAndCopiesTheStagedModesLayersFromIt() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    Files.createDirectories(dir.resolve(".mvn"));
    EffectiveConfig staging = TestProjects.config(TestProjects.info(dir, "1.0.0"), SOURCE_XML.formatted(""),
        "staging");
    Map<String, EffectiveConfig> targets = new LinkedHashMap<>();
    for (String t : java.util.List.of("dev", "staging", "prod")) {
      targets.put(t, TestProjects.config(TestProjects.info(dir, "1.0.0"), SOURCE_XML.formatted(""), t));
    }
    RecordingLog log = new RecordingLog();
    Path dockerfile = DockerfileGoal.run(staging, targets, TestProjects.inputs(dir),
        "io.github.devplugin:devplugin-maven-plugin:1.2.3", log);
    assertThat(dockerfile).isEqualTo(dir.resolve("target/devplugin/docker/Dockerfile.source"));
    String d = Files.readString(dockerfile);

    assertThat(d).contains("ARG BUILDER_IMAGE=maven:3.9.11-eclipse-temurin-17\n"
        + "ARG BASE_IMAGE=registry.example.com/base/jre:17\n");
    // dependencies: the POM and .mvn/ only, then every dependency and plugin; then the sources
    assertThat(d).containsSubsequence("FROM ${BUILDER_IMAGE} AS dependencies", "ARG MAVEN_ARGS=\"\"",
        "WORKDIR /workspace", "COPY pom.xml ./", "COPY .mvn/ .mvn/",
        "mvn -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline",
        "FROM dependencies AS package", "ARG MAVEN_ARGS=\"\"", "COPY . .",
        "mvn -B -Ddevplugin.skip=true -DskipTests package",
        "mvn -B io.github.devplugin:devplugin-maven-plugin:1.2.3:dockerfile -Ddevplugin.env=staging"
            + " -Ddevplugin.dockerfile.mode=staged",
        "FROM ${BASE_IMAGE} AS build");
    assertThat(d).contains("RUN --mount=type=secret,id=maven-settings,target=/root/.m2/settings.xml \\\n    mvn -B");
    // the build stage copies the staged mode's layers from the package stage, in the plan's order
    assertThat(d).containsSubsequence(
        "COPY --from=package /workspace/target/devplugin/docker/layers/01-health-probe/ /",
        "COPY --from=package /workspace/target/devplugin/docker/layers/02-classes/ /",
        "COPY --chown=10001:10001 --from=package /workspace/target/devplugin/docker/layers/03-writable-directories/ /",
        "WORKDIR /app", "FROM build AS dev", "FROM build AS staging", "FROM build AS prod");
    // the same targets as the staged mode; the revision comes from a build argument
    assertThat(d).contains("EXPOSE 9000/tcp 5005/tcp").contains("USER 10001:10001")
        .contains("ENTRYPOINT [\"java\",\"-cp\",\"/app/resources:/app/classes:/app/libs/*\",\"demo.App\"]")
        .contains("ARG REVISION=0123456789abcdef0123456789abcdef01234567\nLABEL")
        .contains("org.opencontainers.image.revision=\"${REVISION}\"")
        .contains("docker build -f target/devplugin/docker/Dockerfile.source --target prod -t demo:1.0.0 .");
    assertThat(Files.readString(dir.resolve("target/devplugin/docker/Dockerfile.source.dockerignore")).lines())
        .contains("target", "**/target", ".git", ".env", "**/.env");
    // nothing is staged on the host in the source mode
    assertThat(dir.resolve("target/devplugin/docker/layers")).doesNotExist();
    assertThat(log.contains("Wrote target/devplugin/docker/Dockerfile.source")).isTrue();

    RecordingLog again = new RecordingLog();
    DockerfileGoal.run(staging, targets, TestProjects.inputs(dir), "io.github.devplugin:devplugin-maven-plugin:1.2.3",
        again);
    assertThat(again.contains("Dockerfile target/devplugin/docker/Dockerfile.source is up to date")).isTrue();
    assertThat(Files.readString(dockerfile)).isEqualTo(d);

    // another devplugin version, no .mvn/, tests run: a new Dockerfile
    Files.delete(dir.resolve(".mvn"));
    EffectiveConfig withTests = TestProjects.config(TestProjects.info(dir, "1.0.0"),
        SOURCE_XML.formatted("<skipTests>false</skipTests><builderImage>maven:3.9-eclipse-temurin-21</builderImage>"
            + "<file>Dockerfile</file>"), "staging");
    Path atRoot = DockerfileGoal.run(withTests, Map.of("staging", withTests), TestProjects.inputs(dir),
        "io.github.devplugin:devplugin-maven-plugin:1.2.4", new RecordingLog());
    assertThat(atRoot).isEqualTo(dir.resolve("Dockerfile"));
    assertThat(dir.resolve("Dockerfile.dockerignore")).isRegularFile();
    String root = Files.readString(atRoot);
    assertThat(root).contains("ARG BUILDER_IMAGE=maven:3.9-eclipse-temurin-21")
        .contains("mvn -B -Ddevplugin.skip=true package\n").doesNotContain("-DskipTests")
        .doesNotContain("COPY .mvn/").contains("devplugin-maven-plugin:1.2.4:dockerfile")
        .contains("docker build -f Dockerfile --target staging -t demo:1.0.0 .");
  }

  @Test
  void badDockerfileSettingsNameTheElementAndTheFix() {
    var e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> TestProjects.config(
        TestProjects.info(dir, "1.0.0"), SOURCE_XML.replace("<mode>source</mode>%s",
            "<mode>sources</mode><file>../Dockerfile</file><builderImage>Maven 3</builderImage>"
                + "<skipTest>true</skipTest>"), "dev"),
        io.github.devplugin.config.ConfigException.class);
    assertThat(e.getMessage())
        .contains("<image><dockerfile><mode>: 'sources' is not one of staged, source.")
        .contains("<image><dockerfile><file>: '../Dockerfile' is outside the project directory, which is the build"
            + " context.")
        .contains("<image><dockerfile><builderImage>: 'Maven 3' is not a valid image reference")
        .contains("<image><dockerfile><skipTest>: is not a devplugin setting here. Did you mean <skipTests>?");
    var absolute = org.assertj.core.api.Assertions.catchThrowableOfType(() -> TestProjects.config(
        TestProjects.info(dir, "1.0.0"), SOURCE_XML.formatted(""), "dev",
        java.util.List.of(new io.github.devplugin.config.ConfigLoader.Override("image.dockerfile.file",
            "/tmp/Dockerfile", "-Ddevplugin.dockerfile.file"))),
        io.github.devplugin.config.ConfigException.class);
    assertThat(absolute.getMessage()).contains("-Ddevplugin.dockerfile.file")
        .contains("is absolute; the Dockerfile is named relative to the project directory.");
  }

  @Test
  void theInputsStampSkipsPlanningOnlyWhileNoInputAndNoRunChanged() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "hi")));
    Path extra = dir.resolve("src/main/image/etc/greeting.txt");
    Files.createDirectories(extra.getParent());
    Files.writeString(extra, "one\n");
    EffectiveConfig dev = TestProjects.config(TestProjects.info(dir, "1.0.0"), XML, "dev");
    Map<String, EffectiveConfig> targets = Map.of("dev", dev);
    Path stamps = dir.resolve("target/devplugin/stamps");
    Path dockerfile = DockerfileGoal.run(dev, targets, TestProjects.inputs(dir), new RecordingLog());
    assertThat(stamps.resolve("dockerfile-inputs.fingerprint")).isRegularFile();

    RecordingLog same = new RecordingLog();
    assertThat(DockerfileGoal.run(dev, targets, TestProjects.inputs(dir), same)).isEqualTo(dockerfile);
    assertThat(same.contains("is up to date")).isTrue();
    // the input files' digests are kept next to the inputs stamp (an unchanged jar is not read again; these files are
    // too recent to be remembered yet, FileDigests.RACY_MILLIS)
    assertThat(stamps.resolve("dockerfile-inputs.digests")).isRegularFile();

    // a file of an extra directory (read only when planning) changes: planned and staged again
    Files.writeString(extra, "two\n");
    RecordingLog changed = new RecordingLog();
    DockerfileGoal.run(dev, targets, TestProjects.inputs(dir), changed);
    assertThat(changed.contains("is up to date")).isFalse();
    try (var walk = Files.walk(dockerfile.resolveSibling("layers"))) {
      assertThat(walk.filter(p -> p.endsWith("etc/greeting.txt")).toList()).singleElement()
          .satisfies(p -> assertThat(p).hasContent("two"));
    }

    // the last run's stamp gone: the inputs stamp alone never decides
    Files.delete(stamps.resolve("dockerfile.fingerprint"));
    RecordingLog gone = new RecordingLog();
    DockerfileGoal.run(dev, targets, TestProjects.inputs(dir), gone);
    assertThat(gone.contains("is up to date")).isFalse();

    // a dirty work tree gives a git-sha tag another name: not the same inputs
    ImageInputs clean = TestProjects.inputs(dir);
    ImageInputs dirty = new ImageInputs(clean.classesDirectory(), clean.dependencies(), clean.manifest(),
        clean.migratorJars(), clean.gitRevision(), true, clean.buildTime(), clean.workDirectory());
    io.github.devplugin.core.UpToDate last = io.github.devplugin.core.UpToDate.forGoal(
        dev.project().devpluginDirectory(), DockerfileGoal.GOAL, null);
    io.github.devplugin.core.FileDigests digests = io.github.devplugin.core.FileDigests.nextTo(last);
    assertThat(DockerfileGoal.inputsFingerprint(dev, targets, dirty, "p", last, digests))
        .isNotNull().isNotEqualTo(DockerfileGoal.inputsFingerprint(dev, targets, clean, "p", last, digests));
  }

  @Test
  void theStagedTimeIsJibsFixedFileTime() {
    assertThat(DockerfileGoal.STAGED_TIME.toInstant())
        .isEqualTo(com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer.DEFAULT_MODIFICATION_TIME);
  }
}
