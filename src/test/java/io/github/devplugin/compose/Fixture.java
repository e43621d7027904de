package io.github.devplugin.compose;

import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.ConfigNode;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** Loads a plugin {@code <configuration>} written as XML, the way the Maven front-end would, for every environment. */
final class Fixture {
  private Fixture() {}

  static ProjectInfo project(Path basedir) {
    return new ProjectInfo("it.devplugin", "notes-service", "1.0.0", "notes", null, null, List.of(), null, basedir,
        basedir.resolve("target"), basedir.resolve("target/classes"));
  }

  /** Every environment's configuration, dev first. */
  static Map<String, EffectiveConfig> load(Path basedir, String configurationXml) {
    ConfigNode root = parse(configurationXml);
    Map<String, ConfigNode> base = new LinkedHashMap<>();
    ConfigNode environments = null;
    for (ConfigNode c : root.children()) {
      if (c.name().equals("environments")) {
        environments = c;
      } else {
        base.put(c.name(), c);
      }
    }
    ProjectInfo project = project(basedir);
    EffectiveConfig dev = ConfigLoader.load(project, base, environments, List.of(), "dev");
    Map<String, EffectiveConfig> out = new LinkedHashMap<>();
    out.put("dev", dev);
    for (String e : dev.environments()) {
      if (!e.equals("dev")) {
        out.put(e, ConfigLoader.load(project, base, environments, List.of(), e));
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

  private static ConfigNode parse(String xml) {
    try {
      Element e = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new InputSource(new StringReader("<configuration>" + xml + "</configuration>")))
          .getDocumentElement();
      return node(e, "");
    } catch (Exception ex) {
      throw new IllegalArgumentException("bad test XML: " + ex.getMessage(), ex);
    }
  }

  private static ConfigNode node(Element e, String parent) {
    String location = parent.isEmpty() && e.getTagName().equals("configuration") ? "" : parent + "<" + e.getTagName()
        + ">";
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
    String value = children.isEmpty() ? text.toString().trim() : null;
    return ConfigNode.of(e.getTagName(), value, children, attributes, location);
  }
}
