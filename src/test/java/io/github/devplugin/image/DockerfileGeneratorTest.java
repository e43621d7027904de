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
    assertThat(d).contains("JAVA_TOOL_OPTIONS=\"-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005\"")
        .contains("EXPOSE 9000/tcp 5005/tcp");
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

    // same inputs: byte-identical, and no work
    RecordingLog again = new RecordingLog();
    DockerfileGoal.run(dev, targets, TestProjects.inputs(dir), again);
    assertThat(again.contains("is up to date")).isTrue();
    assertThat(Files.readString(dockerfile)).isEqualTo(d);
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
}
