package io.github.devplugin.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.inject.Singleton;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s} and {@code compose} repeat a recorded "nothing to do" decision ({@code core.Recheck}) with the same log
 * lines, without loading the configuration, and decide anew as soon as an input (an output file, a parameter, a
 * configuration element) differs.
 */
@MojoTest
class RecheckMojoTest {
  static final String DECIDED = "[DEBUG] Decided from ";
  private final Path build = Path.of(MojoExtension.getBasedir(), "target", "unit-recheck").toAbsolutePath();
  private final Log log = new Log();

  @Provides
  @Singleton
  MavenProject project() {
    return ApplyMojoTest.unitProject(build);
  }

  @BeforeEach
  void clean() throws IOException {
    ApplyMojoTest.deleteTree(build);
  }

  @Test
  @InjectMojo(goal = "k8s", pom = ApplyMojoTest.POM)
  void k8sRepeatsItsDecisionUntilAnOutputOrAParameterChanges(K8sMojo mojo) throws Exception {
    mojo.setLog(log);
    Path recheck = build.resolve("devplugin/stamps/k8s-dev.recheck");
    mojo.execute();
    assertThat(log.text()).contains("Kubernetes manifests for dev: 7 objects").doesNotContain(DECIDED);
    mojo.execute();
    assertThat(recheck).as("files written within the last 2 s are not trusted to show a change").doesNotExist();

    backdate();
    List<String> decided = run(mojo);
    assertThat(decided).singleElement().asString()
        .startsWith("[INFO] Kubernetes manifests for dev are up to date (").endsWith("/dev, 7 objects).");
    assertThat(recheck).exists();
    List<String> repeated = run(mojo);
    assertThat(repeated.get(0)).startsWith(DECIDED + recheck);
    assertThat(repeated.subList(1, repeated.size())).isEqualTo(decided);

    // a generated file removed: decided anew (from the stamps), written again
    Files.delete(build.resolve("devplugin/k8s/dev/service-notes.yaml"));
    assertThat(run(mojo)).noneMatch(l -> l.startsWith(DECIDED))
        .anyMatch(l -> l.contains("Kubernetes manifests for dev: 7 objects") && l.contains("1 files written"));
    assertThat(recheck).doesNotExist();

    // another environment list: another key, decided anew (here: refused, as the record must not hide)
    backdate();
    assertThat(run(mojo)).noneMatch(l -> l.startsWith(DECIDED));
    assertThat(run(mojo).get(0)).startsWith(DECIDED);
    set(mojo, K8sMojo.class, "k8sEnvironments", List.of("dev,staging"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(mojo))
        .isInstanceOf(org.apache.maven.plugin.MojoFailureException.class)
        .hasMessageContaining("unknown environment 'staging'");
  }

  @Test
  @InjectMojo(goal = "compose", pom = ApplyMojoTest.POM)
  void composeRepeatsItsDecisionUntilAConfigurationInputChanges(ComposeMojo mojo) throws Exception {
    mojo.setLog(log);
    Path recheck = build.resolve("devplugin/stamps/compose.recheck");
    mojo.execute();
    backdate();
    List<String> decided = run(mojo);
    assertThat(decided).singleElement().asString().contains("are up to date");
    List<String> repeated = run(mojo);
    assertThat(repeated.get(0)).startsWith(DECIDED + recheck);
    assertThat(repeated.subList(1, repeated.size())).isEqualTo(decided);

    // a -D override (here the goal's parameter) is part of the key
    set(mojo, AbstractDevpluginMojo.class, "dbUser", "someone");
    assertThat(run(mojo)).noneMatch(l -> l.startsWith(DECIDED));
  }

  /** One execution's log lines. */
  private List<String> run(AbstractDevpluginMojo mojo) throws Exception {
    log.lines.clear();
    mojo.execute();
    return List.copyOf(log.lines);
  }

  private static void set(Object mojo, Class<?> type, String field, Object value) throws Exception {
    java.lang.reflect.Field f = type.getDeclaredField(field);
    f.setAccessible(true);
    f.set(mojo, value);
  }

  /** Everything the build wrote, older than the window in which a change might not show in a file's state. */
  private void backdate() throws IOException {
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
    try (Stream<Path> walk = Files.walk(build)) {
      for (Path p : walk.toList()) {
        Files.setLastModifiedTime(p, old);
      }
    }
  }

  /** Info, warning and debug lines. */
  static final class Log extends SystemStreamLog {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public void debug(CharSequence content) {
      if (content.toString().startsWith("Decided from")) {
        lines.add("[DEBUG] " + content);
      }
    }

    @Override
    public void info(CharSequence content) {
      lines.add("[INFO] " + content);
    }

    @Override
    public void warn(CharSequence content) {
      lines.add("[WARN] " + content);
    }

    String text() {
      return String.join("\n", lines);
    }
  }
}
