package io.github.devplugin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.devplugin.core.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginParametersTest {
  private static final List<String> KNOWN = List.of("service", "image", "secrets", "kubernetes", "environments");

  @Test
  void everyUnknownElementIsAProblemNamingWhereItWasWrittenAndTheClosestParameter() {
    Map<String, List<String>> given = new LinkedHashMap<>();
    given.put("<plugin><configuration>", List.of("service", "secrest", "frobnicate"));
    given.put("<execution><id>x</id><configuration>", List.of("kubernets", "image", "secrest"));
    List<Problem> problems = PluginParameters.unknown(given, KNOWN);
    assertEquals(List.of(
        "<plugin><configuration><secrest>: is not a devplugin parameter. Did you mean <secrets>?",
        "<plugin><configuration><frobnicate>: is not a devplugin parameter.",
        "<execution><id>x</id><configuration><kubernets>: is not a devplugin parameter. Did you mean <kubernetes>?"),
        problems.stream().map(p -> p.element() + ": " + p.message()).toList());
  }

  @Test
  void knownElementsAreNoProblem() {
    assertEquals(List.of(), PluginParameters.unknown(Map.of("<plugin><configuration>", KNOWN), KNOWN));
  }
}
