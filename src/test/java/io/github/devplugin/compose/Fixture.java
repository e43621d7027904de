package io.github.devplugin.compose;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.testing.ConfigXml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads a plugin {@code <configuration>} written as XML, the way the Maven front-end would, for every environment. */
final class Fixture {
  private Fixture() {}

  static ProjectInfo project(Path basedir) {
    return new ProjectInfo("it.devplugin", "notes-service", "1.0.0", "notes", null, null, List.of(), null, basedir,
        basedir.resolve("target"), basedir.resolve("target/classes"));
  }

  /** Every environment's configuration, dev first. */
  static Map<String, EffectiveConfig> load(Path basedir, String configurationXml) {
    ProjectInfo project = project(basedir);
    EffectiveConfig dev = ConfigXml.load(project, configurationXml, "dev");
    Map<String, EffectiveConfig> out = new LinkedHashMap<>();
    out.put("dev", dev);
    for (String e : dev.environments()) {
      if (!e.equals("dev")) {
        out.put(e, ConfigXml.load(project, configurationXml, e));
      }
    }
    return out;
  }

  static ComposeGenerator.Input input(Map<String, EffectiveConfig> configs, Path outputDirectory,
      io.github.devplugin.image.ImageRecord image, String mainClass) {
    List<EffectiveConfig> others = new ArrayList<>(configs.values());
    EffectiveConfig dev = others.remove(0);
    return new ComposeGenerator.Input(dev, others, image, mainClass, outputDirectory);
  }


}
