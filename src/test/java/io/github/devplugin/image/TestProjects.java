package io.github.devplugin.image;

import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.testing.ConfigXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Small real projects for the image tests: compiled classes, and configuration written as POM XML. */
final class TestProjects {
  private TestProjects() {}

  /** A project directory with {@code target/classes} holding the compiled sources given (name to source). */
  static Path project(Path dir, Map<String, String> sources) throws IOException {
    Path src = dir.resolve("src/main/java");
    Path classes = dir.resolve("target/classes");
    Files.createDirectories(classes);
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17"));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
      args.add(f.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("test sources do not compile");
    }
    return dir;
  }

  static String app(String pkg, String cls, String message) {
    return "package " + pkg + ";\npublic final class " + cls + " {\n  public static void main(String[] a) {\n"
        + "    System.out.println(\"" + message + "\");\n  }\n}\n";
  }

  static ProjectInfo info(Path dir, String version) {
    return new ProjectInfo("it.test", "demo", version, "demo", "A demo service.", "https://example.com/demo",
        List.of("Apache License, Version 2.0"), "https://example.com/demo.git", dir, dir.resolve("target"),
        dir.resolve("target/classes"));
  }

  /** The effective configuration of {@code environment} from a {@code <configuration>} XML snippet. */
  static EffectiveConfig config(ProjectInfo project, String configurationXml, String environment) {
    return config(project, configurationXml, environment, List.of());
  }

  static EffectiveConfig config(ProjectInfo project, String configurationXml, String environment,
      List<ConfigLoader.Override> overrides) {
    return ConfigXml.load(project, configurationXml, environment, overrides);
  }


  static ImageInputs inputs(Path dir) {
    return new ImageInputs(dir.resolve("target/classes"), List.of(), Map.of(), List.of(),
        "0123456789abcdef0123456789abcdef01234567", dir.resolve("target/devplugin/image-work"));
  }



  /** Fails loudly when a test-environment variable is missing. */
  static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException(name + " is not set: the test environment is missing. Run scripts/test-env.sh"
          + " up and eval \"$(scripts/test-env.sh env)\" before ./mvnw verify.");
    }
    return v;
  }
}
