package io.github.devplugin.testing;

import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.ConfigNode;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * The plugin's {@code <configuration>} written as XML in a test, turned into configuration trees the way the Maven
 * front-end turns {@code PlexusConfiguration} into them (element locations like {@code <service><port>}), and loaded.
 */
public final class ConfigXml {
  private ConfigXml() {}

  /** Parses {@code <configuration>...</configuration>}, or just its content. The root's location is empty. */
  public static ConfigNode parse(String xml) {
    String doc = xml.strip().startsWith("<configuration") ? xml : "<configuration>" + xml + "</configuration>";
    try {
      Element e = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new InputSource(new StringReader(doc))).getDocumentElement();
      return node(e, null);
    } catch (Exception ex) {
      throw new IllegalArgumentException("bad test XML: " + ex.getMessage(), ex);
    }
  }

  /** The effective configuration of {@code environment} of a {@code <configuration>} (or its content). */
  public static EffectiveConfig load(ProjectInfo project, String xml, String environment,
      List<ConfigLoader.Override> overrides) {
    return loadAll(project, xml, environment, overrides).selected();
  }

  public static EffectiveConfig load(ProjectInfo project, String xml, String environment) {
    return load(project, xml, environment, List.of());
  }

  /** Every environment's configuration of a {@code <configuration>} (or its content), {@code environment} selected. */
  public static io.github.devplugin.config.Configuration loadAll(ProjectInfo project, String xml, String environment) {
    return loadAll(project, xml, environment, List.of());
  }

  private static io.github.devplugin.config.Configuration loadAll(ProjectInfo project, String xml, String environment,
      List<ConfigLoader.Override> overrides) {
    Map<String, ConfigNode> base = new LinkedHashMap<>();
    ConfigNode envs = null;
    for (ConfigNode c : parse(xml).children()) {
      if (c.name().equals("environments")) {
        envs = c;
      } else {
        base.put(c.name(), c);
      }
    }
    return ConfigLoader.loadAll(project, base, envs, overrides, environment, List.of());
  }

  private static ConfigNode node(Element e, String parent) {
    String location = parent == null ? "" : parent + "<" + e.getTagName() + ">";
    List<ConfigNode> children = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        children.add(node(c, location));
      } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
        text.append(n.getNodeValue());
      }
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < e.getAttributes().getLength(); i++) {
      attributes.put(e.getAttributes().item(i).getNodeName(), e.getAttributes().item(i).getNodeValue());
    }
    return ConfigNode.of(e.getTagName(), children.isEmpty() ? text.toString().trim() : null, children, attributes,
        location);
  }
}
