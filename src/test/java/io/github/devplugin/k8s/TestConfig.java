package io.github.devplugin.k8s;

import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.ConfigNode;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ProjectInfo;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

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
    ConfigNode root = parse("<configuration>" + configurationXml + "</configuration>");
    Map<String, ConfigNode> base = new LinkedHashMap<>();
    ConfigNode envs = null;
    for (ConfigNode c : root.children()) {
      if (c.name().equals("environments")) {
        envs = c;
      } else {
        base.put(c.name(), c);
      }
    }
    return ConfigLoader.load(project, base, envs, List.of(), environment);
  }

  static ConfigNode parse(String xml) {
    try {
      Element e = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
      return node(e, "");
    } catch (Exception ex) {
      throw new IllegalArgumentException(ex);
    }
  }

  private static ConfigNode node(Element e, String parent) {
    String location = parent + "<" + e.getTagName() + ">";
    List<ConfigNode> children = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        children.add(node(c, location));
      }
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < e.getAttributes().getLength(); i++) {
      Node a = e.getAttributes().item(i);
      attributes.put(a.getNodeName(), a.getNodeValue());
    }
    String value = children.isEmpty() ? e.getTextContent().trim() : null;
    return ConfigNode.of(e.getTagName(), value, children, attributes, location.replaceFirst("^<configuration>", ""));
  }
}
