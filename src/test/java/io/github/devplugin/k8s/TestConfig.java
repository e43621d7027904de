package io.github.devplugin.k8s;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.testing.ConfigXml;
import java.nio.file.Path;
import java.util.List;

/** Builds an {@link EffectiveConfig} from the XML a user writes in the plugin's {@code <configuration>}. */
final class TestConfig {
  private TestConfig() {}

  static ProjectInfo project(Path basedir, String version) {
    return new ProjectInfo("io.example", "notes-service", version, "notes", null, null, List.of(), null, basedir,
        basedir.resolve("target"), basedir.resolve("target/classes"));
  }

  static EffectiveConfig load(Path basedir, String environment, String configurationXml) {
    return load(project(basedir, "1.0.0"), environment, configurationXml);
  }

  static EffectiveConfig load(ProjectInfo project, String environment, String configurationXml) {
    return ConfigXml.load(project, configurationXml, environment);
  }



}
