package io.github.devplugin.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same input, same bytes, also across JVMs: hash-ordered collections (Map.of, HashMap) iterate in an order that
 * changes from one JVM to the next, so the files are generated in two fresh JVMs and compared.
 */
class DeterminismTest {
  @TempDir
  Path dir;

  /** Writes every generated file of the NOTES configuration under args[0]. */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Path project = out.resolve("project");
    ComposeGenerator.Output o = ComposeGenerator.generate(Fixture.input(Fixture.load(project,
        ComposeGeneratorTest.NOTES), project.resolve("target/devplugin/compose"), null, "io.example.Main"));
    for (Map.Entry<String, String> f : o.files().entrySet()) {
      Files.writeString(out.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void twoJvmsWriteTheSameBytes() throws Exception {
    Map<String, String> a = generateInNewJvm(dir.resolve("a"));
    Map<String, String> b = generateInNewJvm(dir.resolve("b"));
    assertThat(a).hasSize(5);
    assertThat(a).isEqualTo(b);
  }

  private static Map<String, String> generateInNewJvm(Path out) throws Exception {
    Files.createDirectories(out);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        DeterminismTest.class.getName(), out.toString())).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    Map<String, String> files = new TreeMap<>();
    try (var s = Files.list(out)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        files.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    return files;
  }
}
