package io.github.devplugin.maven;

import io.github.devplugin.config.ConfigReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Display help information on devplugin: its goals, and with {@code -Ddetail} every goal's parameters and the
 * configuration reference (every key of {@code <configuration>} with its type, default, environment behaviour and
 * {@code -D} property, rendered from the configuration model). Call {@code mvn devplugin:help -Ddetail=true
 * -Dgoal=<goal-name>} to display one goal's parameters and the configuration keys it reads.
 */
@Mojo(name = "help", requiresProject = false, threadSafe = true)
public class HelpMojo extends AbstractMojo {
  private static final String DESCRIPTOR = "META-INF/maven/plugin.xml";

  /** If true, display all settable properties for each goal, and the configuration reference. */
  @Parameter(property = "detail", defaultValue = "false")
  private boolean detail;

  /** The name of the goal for which to show help. If unspecified, all goals will be displayed. */
  @Parameter(property = "goal")
  private String goal;

  /** The maximum length of a display line, should be positive. */
  @Parameter(property = "lineLength", defaultValue = "80")
  private int lineLength;

  /** The number of spaces per indentation level, should be positive. */
  @Parameter(property = "indentSize", defaultValue = "2")
  private int indentSize;

  @Override
  public void execute() throws MojoExecutionException {
    Element plugin = descriptor();
    String prefix = text(plugin, "goalPrefix");
    List<Element> mojos = new ArrayList<>();
    for (Element mojo : children(child(plugin, "mojos"), "mojo")) {
      if (goal == null || goal.isEmpty() || goal.equals(text(mojo, "goal"))) {
        mojos.add(mojo);
      }
    }
    if (goal != null && !goal.isEmpty() && mojos.isEmpty()) {
      throw new MojoExecutionException("-Dgoal=" + goal + " is not a goal of " + prefix + ". Fix: use one of "
          + children(child(plugin, "mojos"), "mojo").stream().map(m -> text(m, "goal")).toList() + ".");
    }
    StringBuilder sb = new StringBuilder();
    append(sb, text(plugin, "name") + " " + text(plugin, "version"), 0);
    append(sb, text(plugin, "description"), 1);
    append(sb, "", 0);
    if (goal == null || goal.isEmpty()) {
      append(sb, "This plugin has " + mojos.size() + " goals:", 0);
      append(sb, "", 0);
    }
    for (Element mojo : mojos) {
      describe(sb, prefix, mojo);
    }
    if (detail && (goal == null || goal.isEmpty() || !goal.equals("help"))) {
      for (String line : ConfigReference.text(ConfigReference.sectionsOf(goal == null || goal.isEmpty() ? null
          : goal))) {
        int spaces = line.length() - line.stripLeading().length();
        append(sb, line.stripLeading(), spaces / 2);
      }
      append(sb, "", 0);
    }
    if (getLog().isInfoEnabled()) {
      getLog().info(sb.toString());
    }
  }

  private void describe(StringBuilder sb, String prefix, Element mojo) {
    append(sb, prefix + ":" + text(mojo, "goal"), 0);
    append(sb, text(mojo, "description"), 1);
    append(sb, "", 0);
    if (!detail) {
      return;
    }
    List<Element> parameters = new ArrayList<>();
    for (Element p : children(child(mojo, "parameters"), "parameter")) {
      if ("true".equals(text(p, "editable"))) {
        parameters.add(p);
      }
    }
    if (parameters.isEmpty()) {
      return;
    }
    append(sb, "Available parameters:", 1);
    append(sb, "", 0);
    Element configuration = child(mojo, "configuration");
    for (Element p : parameters) {
      String name = text(p, "name");
      Element value = configuration == null ? null : children(configuration, name).stream().findFirst()
          .orElse(null);
      String defaultValue = value == null || value.getAttribute("default-value").isEmpty() ? ""
          : " (Default: " + value.getAttribute("default-value") + ")";
      append(sb, name + defaultValue, 2);
      String description = text(p, "description");
      append(sb, description.isEmpty() ? "(no description)" : description, 3);
      if ("true".equals(text(p, "required"))) {
        append(sb, "Required: Yes", 3);
      }
      String expression = value == null ? "" : value.getTextContent().trim();
      if (expression.startsWith("${") && expression.endsWith("}") && !expression.startsWith("${project")
          && !expression.startsWith("${session") && !expression.startsWith("${settings")) {
        append(sb, "User property: " + expression.substring(2, expression.length() - 1), 3);
      }
      append(sb, "", 0);
    }
  }

  /** Appends {@code text} wrapped to {@link #lineLength}, each line indented by {@code level} levels. */
  private void append(StringBuilder sb, String text, int level) {
    String indent = " ".repeat(Math.max(0, level * Math.max(1, indentSize)));
    if (text.isEmpty()) {
      sb.append('\n');
      return;
    }
    for (String paragraph : text.split("\\r?\\n")) {
      StringBuilder line = new StringBuilder(indent);
      for (String word : paragraph.trim().split("\\s+")) {
        if (line.length() > indent.length() && line.length() + 1 + word.length() > lineLength) {
          sb.append(line).append('\n');
          line = new StringBuilder(indent);
        }
        if (line.length() > indent.length()) {
          line.append(' ');
        }
        line.append(word);
      }
      sb.append(line).append('\n');
    }
  }

  private Element descriptor() throws MojoExecutionException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(DESCRIPTOR)) {
      if (in == null) {
        throw new MojoExecutionException("The plugin's " + DESCRIPTOR + " is missing from its jar. Fix: rebuild"
            + " the plugin with maven-plugin-plugin.");
      }
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = factory.newDocumentBuilder().parse(in);
      return doc.getDocumentElement();
    } catch (IOException | ParserConfigurationException | SAXException e) {
      throw new MojoExecutionException("Cannot read the plugin's " + DESCRIPTOR + ": " + e.getMessage()
          + ". Fix: rebuild the plugin with maven-plugin-plugin.", e);
    }
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? "" : e.getTextContent().trim();
  }
}
