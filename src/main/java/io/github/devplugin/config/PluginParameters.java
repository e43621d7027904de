package io.github.devplugin.config;

import io.github.devplugin.core.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The plugin's own {@code <configuration>} elements: every one must be a parameter of some devplugin goal. Maven only
 * warns about an unknown one ({@code <secrest>}, {@code <kubernets>}) and drops it, so declared secrets or a whole
 * section would silently vanish from the outputs; devplugin fails instead, naming the element.
 */
public final class PluginParameters {
  private PluginParameters() {}

  /**
   * @param given element names by where they were written (e.g. {@code <plugin><configuration>} or
   *     {@code <execution id="default"><configuration>}), in POM order
   * @param known every parameter name of every devplugin goal
   * @return one problem per unknown element, with the closest known name when there is one
   */
  public static List<Problem> unknown(Map<String, List<String>> given, Collection<String> known) {
    List<Problem> problems = new ArrayList<>();
    java.util.Set<String> reported = new java.util.HashSet<>();
    given.forEach((where, names) -> {
      for (String name : names) {
        // Maven merges the plugin's configuration into every execution's: name each element where it first stands
        if (!known.contains(name) && reported.add(name)) {
          problems.add(new Problem(where + "<" + name + ">", "is not a devplugin parameter."
              + Section.didYouMean(name, known),
              "remove it or correct its name; the plugin's parameters and configuration keys are listed by mvn"
                  + " devplugin:help -Ddetail and on the plugin site (plugin-info.html, configuration.html)."));
        }
      }
    });
    return problems;
  }
}
