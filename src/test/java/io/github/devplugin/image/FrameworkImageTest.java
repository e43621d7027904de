package io.github.devplugin.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.core.UserError;
import io.github.devplugin.framework.Dependency;
import io.github.devplugin.framework.Probe;
import io.github.devplugin.testing.RecordingLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image side of the framework profiles: what each framework's image holds, runs and checks. */
class FrameworkImageTest {
  private static final String NO_DB = "<configuration><database><enabled>false</enabled></database></configuration>";

  @TempDir
  Path dir;

  private static Dependency dep(String key, String scope) {
    String[] p = key.split(":");
    return new Dependency(p[0], p[1], "3.5.7", scope, null);
  }

  private ProjectInfo project(Integer release, Dependency... deps) {
    return TestProjects.info(dir, "1.0.0").withBuild(List.of(deps), List.of(), null, release, Map.of());
  }

  private Path jar(String name, String... entries) throws IOException {
    Path jar = dir.resolve("repo").resolve(name);
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (String e : entries) {
        zip.putNextEntry(new ZipEntry(e));
        zip.closeEntry();
      }
    }
    return jar;
  }

  private ImageInputs inputs(Map<String, String> manifest, List<ImageInputs.Dependency> deps) {
    return new ImageInputs(dir.resolve("target/classes"), deps, manifest, List.of(), null,
        dir.resolve("target/devplugin/image-work"));
  }

  private static List<String> entries(ImagePlan p) {
    return p.layers().stream().flatMap(l -> l.getEntries().stream()).map(e -> e.getExtractionPath().toString())
        .toList();
  }

  @Test
  void springBootImageIsTheClassesAndDependenciesWithoutDevtoolsAndTheLauncher() throws Exception {
    // two main methods: only the manifest's Start-Class decides; Main-Class (the launcher) is never used
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "a"), "demo.Tool",
        TestProjects.app("demo", "Tool", "b")));
    EffectiveConfig c = TestProjects.config(project(21, dep("org.springframework.boot:spring-boot-starter-web",
        "compile"), dep("org.springframework.boot:spring-boot-starter-actuator", "compile"),
        dep("org.springframework.boot:spring-boot-devtools", "runtime")), NO_DB, "dev");
    List<ImageInputs.Dependency> deps = List.of(
        new ImageInputs.Dependency(jar("spring-web-6.2.jar", "org/springframework/web/Web.class"),
            ImageInputs.Kind.RELEASE, "org.springframework:spring-web"),
        new ImageInputs.Dependency(jar("spring-boot-devtools-3.5.7.jar", "org/springframework/boot/devtools/X.class"),
            ImageInputs.Kind.RELEASE, "org.springframework.boot:spring-boot-devtools"));
    RecordingLog log = new RecordingLog();
    ImagePlan p = ImagePlanner.plan(c, inputs(Map.of("Main-Class", "org.springframework.boot.loader.launch.JarLauncher",
        "Start-Class", "demo.App"), deps), log);

    assertThat(p.mainClass()).isEqualTo("demo.App");
    assertThat(p.entrypoint()).last().isEqualTo("demo.App");
    assertThat(log.contains("Main class demo.App (from the built jar's manifest Start-Class)")).isTrue();
    assertThat(log.contains("Left out of the image (spring-boot development-only, as its own packaging does):"
        + " org.springframework.boot:spring-boot-devtools")).isTrue();
    assertThat(entries(p)).contains("/app/libs/spring-web-6.2.jar", "/app/classes/demo/App.class")
        .noneMatch(e -> e.contains("devtools"));
    // the process settings of the framework, not the deployment's (turning Flyway off belongs to the migrate step)
    assertThat(p.environment()).containsEntry("SERVER_PORT", "8080")
        .containsEntry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true").containsEntry("SERVER_SHUTDOWN", "graceful")
        .doesNotContainKey("PORT").doesNotContainKey("SPRING_FLYWAY_ENABLED");
    assertThat(p.healthCheck()).last().isEqualTo("http://127.0.0.1:8080/actuator/health/liveness");
    // the release decides the default base
    assertThat(p.base()).isEqualTo(BaseImage.parse("eclipse-temurin:21-jre"));
  }

  @Test
  void aMainClassNotOnTheClassPathFailsNamingItsSourceAndTheFixBeforeAnythingIsWritten() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "a")));
    EffectiveConfig c = TestProjects.config(project(17, dep("org.springframework.boot:spring-boot-starter-web",
        "compile")), NO_DB, "dev");
    assertThatThrownBy(() -> ImagePlanner.plan(c, inputs(Map.of("Start-Class", "demo.Gone"), List.of()),
        new RecordingLog()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("The main class demo.Gone (from the built jar's manifest Start-Class) is not on the"
            + " image's class path: no demo/Gone.class in " + dir.resolve("target/classes"))
        .hasMessageContaining("Fix: set <service><mainClass>")
        .hasMessageContaining("or correct the built jar's manifest Start-Class");
    assertThat(dir.resolve("target/devplugin")).doesNotExist();
  }

  @Test
  void aMainClassInADependencyJarIsOnTheClassPath() throws Exception {
    TestProjects.project(dir, Map.of("demo.Lib", "package demo; public class Lib {}"));
    EffectiveConfig c = TestProjects.config(project(17), """
        <configuration><service><mainClass>org.example.Main</mainClass></service>
          <database><enabled>false</enabled></database></configuration>""", "dev");
    RecordingLog log = new RecordingLog();
    ImagePlan p = ImagePlanner.plan(c, inputs(Map.of(), List.of(new ImageInputs.Dependency(
        jar("main-1.jar", "org/example/Main.class"), ImageInputs.Kind.RELEASE, "org.example:main"))), log);
    assertThat(p.mainClass()).isEqualTo("org.example.Main");
    assertThat(log.contains("Main class org.example.Main (from <service><mainClass>)")).isTrue();
  }

  @Test
  void baseImageFollowsTheJavaRelease() {
    assertThat(ImageSettings.defaultFrom(null)).isEqualTo("eclipse-temurin:17-jre");
    assertThat(ImageSettings.defaultFrom(11)).isEqualTo("eclipse-temurin:17-jre");
    assertThat(ImageSettings.defaultFrom(17)).isEqualTo("eclipse-temurin:17-jre");
    assertThat(ImageSettings.defaultFrom(21)).isEqualTo("eclipse-temurin:21-jre");
    assertThat(ImageSettings.defaultFrom(25)).isEqualTo("eclipse-temurin:25-jre");
    assertThat(ImageSettings.defaultFrom(26)).isNull();
  }

  @Test
  void aJavaReleaseWithoutABaseImageFailsNamingFromBeforeAnythingIsWritten() throws Exception {
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "a")));
    EffectiveConfig c = TestProjects.config(project(26), NO_DB, "dev");
    assertThatThrownBy(() -> ImagePlanner.plan(c, inputs(Map.of(), List.of()), new RecordingLog()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("The project compiles for Java 26 (maven.compiler.release), and devplugin knows no base"
            + " image for it (known: Java 17, 21, 25). Fix: set <image><from>")
        .hasMessageContaining("eclipse-temurin:26-jre");
    assertThat(dir.resolve("target/devplugin")).doesNotExist();
    // a configured base is taken as given
    EffectiveConfig set = TestProjects.config(project(26), """
        <configuration><image><from>registry.example.com/jre:26</from></image>
          <database><enabled>false</enabled></database></configuration>""", "dev");
    assertThat(ImagePlanner.plan(set, inputs(Map.of(), List.of()), new RecordingLog()).base())
        .isEqualTo(BaseImage.parse("registry.example.com/jre:26"));
  }

  @Test
  void theJlinkBaseNeedsAJdkOfTheRelease() throws Exception {
    assertThatThrownBy(() -> JlinkBase.checkRelease(21, 17, "/usr/lib/jvm/java-17"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("links the build's JDK (Java 17, /usr/lib/jvm/java-17), which cannot run classes"
            + " compiled for Java 21")
        .hasMessageContaining("Fix: run Maven with a JDK 21 or newer (JAVA_HOME), or set <image><from>")
        .hasMessageContaining("eclipse-temurin:21-jre");
    JlinkBase.checkRelease(17, 21, "/jdk21");
    JlinkBase.checkRelease(null, 17, "/jdk17");
    TestProjects.project(dir, Map.of("demo.App", TestProjects.app("demo", "App", "a")));
    int release = Runtime.version().feature() + 1;
    EffectiveConfig c = TestProjects.config(project(release), """
        <configuration><image><from>jlink</from></image>
          <database><enabled>false</enabled></database></configuration>""", "dev");
    assertThatThrownBy(() -> ImagePlanner.plan(c, inputs(Map.of(), List.of()), new RecordingLog()))
        .isInstanceOf(UserError.class).hasMessageContaining("compiled for Java " + release);
  }

  @Test
  void quarkusImageIsTheFastJarInLayersRunByTheRunnerJar() throws Exception {
    TestProjects.project(dir, Map.of("demo.Resource", "package demo; public class Resource {}"));
    Path app = dir.resolve("target/quarkus-app");
    for (String f : List.of("lib/boot/io.quarkus.quarkus-bootstrap-runner-3.33.2.jar", "lib/main/io.vertx.vertx-core-4.jar",
        "quarkus/quarkus-application.dat", "quarkus/generated-bytecode.jar", "app/demo-1.0.0.jar", "quarkus-run.jar")) {
      Files.createDirectories(app.resolve(f).getParent());
      Files.writeString(app.resolve(f), f);
    }
    EffectiveConfig c = TestProjects.config(project(17, dep("io.quarkus:quarkus-rest", "compile"),
        dep("io.quarkus:quarkus-smallrye-health", "compile")), """
        <configuration><service><jvmFlags><jvmFlag>-Xmx128m</jvmFlag></jvmFlags></service>
          <database><enabled>false</enabled></database></configuration>""", "dev");
    ImagePlan p = ImagePlanner.plan(c, inputs(Map.of(), List.of()), new RecordingLog());
    assertThat(p.layers()).extracting(FileEntriesLayer::getName).containsExactly("health probe",
        "quarkus boot libraries", "quarkus libraries", "quarkus runner", "quarkus generated", "application");
    assertThat(entries(p)).contains("/app/quarkus-run.jar", "/app/lib/boot/io.quarkus.quarkus-bootstrap-runner-3.33.2.jar",
        "/app/quarkus/quarkus-application.dat", "/app/app/demo-1.0.0.jar");
    assertThat(p.entrypoint()).containsExactly("java", "-Xmx128m", "-jar", "/app/quarkus-run.jar");
    assertThat(p.mainClass()).isEqualTo("io.quarkus.bootstrap.runner.QuarkusEntryPoint");
    assertThat(p.environment()).containsEntry("QUARKUS_HTTP_PORT", "8080");
    assertThat(p.healthCheck()).last().isEqualTo("http://127.0.0.1:8080/q/health/live");
  }

  @Test
  void quarkusWithoutTheFastJarFailsNamingThePackageType() throws Exception {
    TestProjects.project(dir, Map.of("demo.Resource", "package demo; public class Resource {}"));
    EffectiveConfig c = TestProjects.config(project(17, dep("io.quarkus:quarkus-rest", "compile")), NO_DB, "dev");
    assertThatThrownBy(() -> ImagePlanner.plan(c, inputs(Map.of(), List.of()), new RecordingLog()))
        .isInstanceOf(UserError.class).hasMessageContaining("quarkus-app/quarkus-run.jar is missing")
        .hasMessageContaining("quarkus.package.jar.type=fast-jar")
        .hasMessageContaining("<service><framework>plain</framework>");
  }

  @Test
  void theInImageProbeChecksTcpWhenTheProfileHasNoHttpPath() throws Exception {
    assertThat(ImageLayout.healthCheckCommand(9000, Probe.tcp())).last().isEqualTo("tcp://127.0.0.1:9000");
    assertThat(ImageLayout.healthCheckCommand(9000, "/health")).last().isEqualTo("http://127.0.0.1:9000/health");
    try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(probe("tcp://127.0.0.1:" + open.getLocalPort())).isZero();
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    assertThat(probe("tcp://127.0.0.1:" + closed)).isEqualTo(1);
  }

  /** Runs the real probe class in its own JVM, as the image does. */
  private static int probe(String url) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path classes = Path.of(io.github.devplugin.probe.HealthCheck.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Process p = new ProcessBuilder(java.toString(), "-cp", classes.toString(), "io.github.devplugin.probe.HealthCheck",
        url, "2000").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
