package io.github.devplugin.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One element of raw configuration as the user wrote it: a name, a text value or child elements, attributes, and its
 * location (the POM path, e.g. {@code <environments><prod><service><port>}) so that every error can name it. Front-ends
 * build these trees (Maven from {@code PlexusConfiguration}); {@link Section} reads them.
 */
public final class ConfigNode {
  private final String name;
  private final String value;
  private final List<ConfigNode> children;
  private final Map<String, String> attributes;
  private final String location;

  private ConfigNode(String name, String value, List<ConfigNode> children, Map<String, String> attributes,
      String location) {
    this.name = Objects.requireNonNull(name, "name");
    this.value = value;
    this.children = List.copyOf(children);
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    this.location = location;
  }

  public static ConfigNode leaf(String name, String value, String location) {
    return new ConfigNode(name, value, List.of(), Map.of(), location);
  }

  public static ConfigNode of(String name, String value, List<ConfigNode> children, Map<String, String> attributes,
      String location) {
    return new ConfigNode(name, value, children, attributes, location);
  }

  /** An empty element, e.g. a missing top-level section. */
  public static ConfigNode empty(String name, String location) {
    return new ConfigNode(name, null, List.of(), Map.of(), location);
  }

  public String name() {
    return name;
  }

  /** The trimmed text value, or null when the element has none (or only children). */
  public String value() {
    return value;
  }

  public List<ConfigNode> children() {
    return children;
  }

  public List<ConfigNode> children(String childName) {
    List<ConfigNode> out = new ArrayList<>();
    for (ConfigNode c : children) {
      if (c.name.equals(childName)) {
        out.add(c);
      }
    }
    return out;
  }

  public String attribute(String attributeName) {
    return attributes.get(attributeName);
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public String location() {
    return location;
  }

  /** True when the element says {@code remove="true"}: it deletes an inherited entry instead of setting one. */
  public boolean isRemoval() {
    return "true".equalsIgnoreCase(attributes.get("remove"));
  }

  /** Builds trees in code (tests, {@code -D} overrides, other front-ends). */
  public static Builder builder(String name, String location) {
    return new Builder(name, location);
  }

  @Override
  public String toString() {
    return location + (value != null ? "=" + value : "") + (children.isEmpty() ? "" : children.toString());
  }

  /** Fluent builder; child locations are derived from the parent's. */
  public static final class Builder {
    private final String name;
    private final String location;
    private String value;
    private final List<ConfigNode> children = new ArrayList<>();
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Builder(String name, String location) {
      this.name = name;
      this.location = location;
    }

    public Builder value(String v) {
      this.value = v;
      return this;
    }

    public Builder attribute(String key, String v) {
      attributes.put(key, v);
      return this;
    }

    public Builder leaf(String childName, String childValue) {
      children.add(ConfigNode.leaf(childName, childValue, location + "<" + childName + ">"));
      return this;
    }

    public Builder child(ConfigNode node) {
      children.add(node);
      return this;
    }

    public Builder child(String childName, java.util.function.Consumer<Builder> body) {
      Builder b = new Builder(childName, location + "<" + childName + ">");
      body.accept(b);
      children.add(b.build());
      return this;
    }

    public ConfigNode build() {
      return new ConfigNode(name, value, children, attributes, location);
    }
  }
}
