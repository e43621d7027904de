package io.github.devplugin.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Builds configuration trees the way the Maven front-end does, for tests of the core. */
public final class ConfigFixtures {
  private final Map<String, ConfigNode> base = new LinkedHashMap<>();
  private ConfigNode.Builder environments;
  private Path basedir = Path.of("target", "fixture-project").toAbsolutePath();

  public static ConfigFixtures config() {
    return new ConfigFixtures();
  }

  public ConfigFixtures section(String name, Consumer<ConfigNode.Builder> body) {
    ConfigNode.Builder b = ConfigNode.builder(name, "<" + name + ">");
    body.accept(b);
    base.put(name, b.build());
    return this;
  }

  public ConfigFixtures environment(String name, Consumer<ConfigNode.Builder> body) {
    if (environments == null) {
      environments = ConfigNode.builder("environments", "<environments>");
    }
    environments.child(name, body);
    return this;
  }

  public ConfigFixtures basedir(Path dir) {
    this.basedir = dir;
    return this;
  }

  public ProjectInfo project() {
    return new ProjectInfo("com.example", "orders-service", "1.2.3", "Orders", "Takes orders",
        "https://example.com/orders", List.of("Apache-2.0"), "https://github.com/example/orders", basedir,
        basedir.resolve("target"), basedir.resolve("target/classes"));
  }

  /** The declared paths of every key the loader reads for {@code env}, from a parse of this configuration. */
  public java.util.Set<String> keysRead(String env) {
    Section.Context ctx = new Section.Context(env);
    ConfigNode envNode = null;
    if (environments != null) {
      envNode = environments.build().children(env).stream().findFirst().orElse(null);
    }
    ConfigLoader.parse(ctx, project(), base, envNode, List.of(), env, new java.util.TreeSet<>(List.of(env)));
    assert ctx.problems().isEmpty() : ctx.problems();
    return ctx.keysRead();
  }

  public EffectiveConfig load(String env, ConfigLoader.Override... overrides) {
    return ConfigLoader.load(project(), base, environments == null ? null : environments.build(),
        List.of(overrides), env);
  }
}
