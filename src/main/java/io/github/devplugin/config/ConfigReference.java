package io.github.devplugin.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration reference rendered from {@link ConfigKeys}: the plain text {@code devplugin:help -Ddetail} prints
 * and the plugin site's page ({@code configuration.html}, written as Doxia xdoc by {@link #main} before the site
 * is built). Both list every key with its element, type, default, environment behaviour, {@code -D} property and
 * description, in declaration order.
 */
public final class ConfigReference {
  /** The site page's file name, without extension. */
  public static final String PAGE = "configuration";

  /** The top-level sections each goal reads, for {@code devplugin:help -Dgoal=GOAL -Ddetail}. */
  private static final Map<String, List<String>> SECTIONS_BY_GOAL = Map.ofEntries(
      Map.entry("image", List.of("service", "image")),
      Map.entry("dockerfile", List.of("service", "image")),
      Map.entry("scan", List.of("image")),
      Map.entry("compose", List.of("service", "image", "database", "cache", "compose", "secrets")),
      Map.entry("up", List.of("service", "database", "cache", "compose", "secrets")),
      Map.entry("down", List.of("compose")),
      Map.entry("k8s", List.of("service", "image", "database", "cache", "kubernetes", "secrets")),
      Map.entry("apply", List.of("service", "image", "database", "cache", "kubernetes", "secrets")),
      Map.entry("undeploy", List.of("service", "kubernetes")),
      Map.entry("helm", List.of("service", "image", "database", "cache", "kubernetes", "secrets")),
      Map.entry("migrate", List.of("service", "database", "secrets")),
      Map.entry("rollback", List.of("service", "database", "secrets")),
      Map.entry("repair", List.of("service", "database", "secrets")),
      Map.entry("verify-migrations", List.of("service", "database")));

  private static final String RULES = "Every environment under <environments> is an overlay of these elements:"
      + " values override key by key, lists of values are replaced whole, entries merge by their name element"
      + " (remove=\"true\" deletes an inherited one). -D properties override every environment.";

  private ConfigReference() {}

  /** The top-level sections {@code goal} reads: every section for a goal not listed (config, help, none). */
  public static List<String> sectionsOf(String goal) {
    return goal == null ? ConfigLoader.SECTIONS : SECTIONS_BY_GOAL.getOrDefault(goal, ConfigLoader.SECTIONS);
  }

  /** The keys below the given top-level sections, in declaration order. */
  public static List<ConfigKeys.Key> keys(List<String> sections) {
    List<ConfigKeys.Key> out = new ArrayList<>();
    for (ConfigKeys.Key k : ConfigKeys.all()) {
      String top = k.path().split("[.\\[]")[0];
      if (sections.contains(top)) {
        out.add(k);
      }
    }
    return out;
  }

  /** The reference as plain lines: a key's element on a line indented by 2, its facts indented by 4. */
  public static List<String> text(List<String> sections) {
    List<String> lines = new ArrayList<>();
    lines.add("Configuration keys (" + PAGE + ".html on the plugin site):");
    lines.add("  " + RULES);
    for (ConfigKeys.Key k : keys(sections)) {
      lines.add("");
      lines.add("  " + k.element() + " (" + typeText(k) + ")");
      lines.add("    " + k.description());
      if (k.defaultValue() != null) {
        lines.add("    Default: " + k.defaultValue());
      }
      lines.add("    Environments: " + k.environmentBehaviour());
      k.property().ifPresent(p -> lines.add("    Property: -D" + p));
    }
    return lines;
  }

  /** The site page as a Doxia xdoc document: one section and table per top-level element. */
  public static String xdoc() {
    StringBuilder sb = new StringBuilder();
    sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<!-- generated from io.github.devplugin.config.ConfigKeys by ConfigReference: do not edit -->\n");
    sb.append("<document xmlns=\"http://maven.apache.org/XDOC/2.0\">\n");
    sb.append("  <properties><title>Configuration reference</title></properties>\n  <body>\n");
    sb.append("    <section name=\"Configuration reference\">\n");
    sb.append("      <p>").append(esc("Every key of the plugin's <configuration>, generated from the model the"
        + " configuration loader reads (a key it reads is a key listed here). " + RULES + " mvn devplugin:help"
        + " -Ddetail prints the same reference; mvn devplugin:config shows the effective values and where each"
        + " came from.")).append("</p>\n");
    sb.append("      <ul>\n");
    for (String top : ConfigLoader.SECTIONS) {
      sb.append("        <li><a href=\"#").append(top).append("\">").append(esc("<" + top + ">"))
          .append("</a></li>\n");
    }
    sb.append("      </ul>\n");
    for (String top : ConfigLoader.SECTIONS) {
      ConfigKeys.Key section = ConfigKeys.find(top).orElseThrow();
      sb.append("      <subsection name=\"").append(esc("<" + top + ">")).append("\" id=\"").append(top)
          .append("\">\n");
      sb.append("        <p>").append(esc(section.description())).append("</p>\n");
      sb.append("        <table>\n          <tr><th>element</th><th>type</th><th>default</th>"
          + "<th>environments</th><th>-D property</th><th>description</th></tr>\n");
      for (ConfigKeys.Key k : keys(List.of(top))) {
        if (k.path().equals(top)) {
          continue;
        }
        sb.append("          <tr id=\"").append(anchor(k)).append("\"><td><code>").append(esc(k.element()))
            .append("</code></td><td>").append(esc(typeText(k))).append("</td><td>")
            .append(esc(k.defaultValue() == null ? "" : k.defaultValue())).append("</td><td>")
            .append(esc(k.environmentBehaviour())).append("</td><td>")
            .append(k.property().map(p -> "<code>-D" + esc(p) + "</code>").orElse("")).append("</td><td>")
            .append(esc(k.description())).append("</td></tr>\n");
      }
      sb.append("        </table>\n      </subsection>\n");
    }
    sb.append("    </section>\n  </body>\n</document>\n");
    return sb.toString();
  }

  /** The HTML anchor of a key's row: its path with {@code []} dropped ({@code service.ports.number}). */
  public static String anchor(ConfigKeys.Key k) {
    return k.path().replace("[]", "");
  }

  private static String typeText(ConfigKeys.Key k) {
    return switch (k.type()) {
      case CHOICE -> "one of " + String.join(", ", k.choices());
      case LIST -> "list of <" + k.item() + ">";
      case ENTRIES -> "<" + k.item() + "> entries by <" + k.id() + ">";
      default -> k.type().label();
    };
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /**
   * Writes the site page: {@code ConfigReference <generated-site directory>} writes {@code xdoc/configuration.xml}
   * there (the pom runs it before {@code mvn site}).
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ConfigReference <generated-site directory>");
    }
    Path file = Path.of(args[0]).resolve("xdoc").resolve(PAGE + ".xml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, xdoc(), StandardCharsets.UTF_8);
  }
}
