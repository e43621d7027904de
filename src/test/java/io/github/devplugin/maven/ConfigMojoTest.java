package io.github.devplugin.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.inject.Singleton;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

/** Wiring of the config goal: POM configuration, parameters and the project reach the core; errors map to Maven's. */
@MojoTest
class ConfigMojoTest {
  private static final String POM = "src/test/resources/unit/config/pom.xml";
  private final Path build = Path.of(MojoExtension.getBasedir(), "target", "unit-config").toAbsolutePath();

  @Provides
  @Singleton
  MavenProject project() {
    MavenProject p = new MavenProject();
    p.setGroupId("unit.devplugin");
    p.setArtifactId("config-unit");
    p.setVersion("2.0.0");
    p.setFile(new File(MojoExtension.getBasedir(), POM));
    p.getBuild().setDirectory(build.toString());
    p.getBuild().setOutputDirectory(build.resolve("classes").toString());
    p.getModel().setProperties(new Properties());
    return p;
  }

  @Test
  @InjectMojo(goal = "config", pom = POM)
  @MojoParameter(name = "env", value = "prod")
  void writesTheEffectiveConfigurationOfTheChosenEnvironment(ConfigMojo mojo) throws Exception {
    mojo.execute();
    String json = Files.readString(build.resolve("devplugin/config-prod.json"));
    assertThat(json).contains("\"environment\" : \"prod\"");
    assertThat(json).containsPattern("\"service.replicas\" : \\{\\s*\"element\" : "
        + "\"<environments><prod><service><replicas>\",\\s*\"origin\" : \"environment prod\",\\s*\"value\" : \"2\"");
    assertThat(json).containsPattern("\"service.name\" : \\{[^}]*\"value\" : \"wired\"");
    assertThat(json).containsPattern("\"WIRED_TOKEN\" : \\{\\s*\"present\" : false");
  }

  @Test
  @InjectMojo(goal = "config", pom = POM)
  @MojoParameter(name = "env", value = "qa")
  void anUnknownEnvironmentIsAFailureTheUserFixes(ConfigMojo mojo) {
    assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("unknown environment 'qa'; the known environments are dev, prod.");
  }

  @Test
  @InjectMojo(goal = "config", pom = POM)
  @MojoParameter(name = "skip", value = "true")
  @MojoParameter(name = "env", value = "prod")
  void skipDoesNoWorkAtAll(ConfigMojo mojo) throws Exception {
    // the same goal and environment as writesTheEffectiveConfigurationOfTheChosenEnvironment, which writes this file:
    // only the skip switch keeps it from being written
    Path out = build.resolve("devplugin/config-prod.json");
    Files.deleteIfExists(out);
    List<String> infos = new ArrayList<>();
    mojo.setLog(new SystemStreamLog() {
      @Override
      public void info(CharSequence content) {
        infos.add(content.toString());
      }
    });
    mojo.execute();
    assertThat(out).doesNotExist();
    assertThat(infos).containsExactly("Skipping devplugin:config: devplugin.skip is true.");
  }
}
