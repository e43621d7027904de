package io.github.devplugin.config;

import io.github.devplugin.core.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns raw configuration (the POM's top-level elements, the {@code <environments>} overlays and {@code -D}
 * overrides) into the {@link EffectiveConfig} of one environment. Every declared environment is parsed and validated,
 * not only the selected one, so a typo in {@code prod} fails a {@code dev} build before it can reach a pipeline.
 */
public final class ConfigLoader {
  /** The top-level configuration elements, in reading order. */
  public static final List<String> SECTIONS =
      List.of("service", "image", "database", "cache", "kubernetes", "compose", "secrets");

  /** The environment used when none is chosen. */
  public static final String DEFAULT_ENVIRONMENT = Environments.DEFAULT;

  /**
   * A value given on the command line or as a goal parameter, overriding every environment.
   *
   * @param path dotted path, e.g. {@code image.to}
   * @param origin label shown by {@code devplugin:config}, e.g. {@code -Ddevplugin.image.to}
   */
  public record Override(String path, String value, String origin) {}

  private ConfigLoader() {}

  /** The files {@link #loadAll} looked at on this thread, with their state then, while {@link #recording}. */
  private static final ThreadLocal<Map<java.nio.file.Path, String>> LOOKED_AT = new ThreadLocal<>();

  /**
   * Notes that loading reads (or checks the existence of) {@code file}, with its state before it is read
   * ({@link #state}): a {@link ConfigCache} reuses a loaded configuration only while every such file is unchanged.
   * Every file the loader reads must pass through here.
   *
   * @return {@code file}
   */
  static java.nio.file.Path looksAt(java.nio.file.Path file) {
    Map<java.nio.file.Path, String> files = LOOKED_AT.get();
    if (files != null) {
      files.putIfAbsent(file.toAbsolutePath().normalize(), state(file));
    }
    return file;
  }

  /** A file's state for {@link #looksAt}: absent, a directory, or a file's size, modification time and file key. */
  static String state(java.nio.file.Path file) {
    try {
      java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(file,
          java.nio.file.attribute.BasicFileAttributes.class);
      return a.isDirectory() ? "directory" : "file " + a.size() + " "
          + a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS) + " " + a.fileKey();
    } catch (java.io.IOException e) {
      return "absent";
    }
  }

  /** {@link #loadAll}, putting every file it looks at ({@link #looksAt}) with its state into {@code files}. */
  static Configuration recording(Map<java.nio.file.Path, String> files, ProjectInfo project,
      Map<String, ConfigNode> base, ConfigNode environments, List<Override> overrides, String environment,
      List<String> alsoKnown) {
    Map<java.nio.file.Path, String> outer = LOOKED_AT.get();
    LOOKED_AT.set(files);
    try {
      return loadAll(project, base, environments, overrides, environment, alsoKnown);
    } finally {
      if (outer == null) {
        LOOKED_AT.remove();
      } else {
        LOOKED_AT.set(outer);
      }
    }
  }

  /**
   * @param base top-level elements by name (any of {@link #SECTIONS}; missing ones are empty)
   * @param environments the {@code <environments>} element, or null
   * @param overrides {@code -D} overrides, lowest precedence first
   * @param environment the environment to return
   * @throws ConfigException listing every problem found
   */
  public static EffectiveConfig load(ProjectInfo project, Map<String, ConfigNode> base, ConfigNode environments,
      List<Override> overrides, String environment) {
    return loadAll(project, base, environments, overrides, environment, List.of()).selected();
  }

  /**
   * Loads every environment once: the declared ones, {@link #DEFAULT_ENVIRONMENT} and {@code alsoKnown} (names a goal
   * always writes for, such as the Dockerfile's standard targets, with no overlay unless declared).
   *
   * @param environment the environment to select
   * @throws ConfigException listing every problem found in any environment
   */
  public static Configuration loadAll(ProjectInfo project, Map<String, ConfigNode> base, ConfigNode environments,
      List<Override> overrides, String environment, List<String> alsoKnown) {
    Map<String, ConfigNode> envNodes = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    if (environments != null) {
      for (ConfigNode e : environments.children()) {
        if (!Names.isDnsLabel(e.name())) {
          problems.add(new Problem(e.location(), "'" + e.name() + "' is not a valid environment name.",
              "use lower case letters, digits and '-', e.g. <" + Names.toDnsLabel(e.name()) + ">."));
        } else if (envNodes.putIfAbsent(e.name(), e) != null) {
          problems.add(new Problem(e.location(), "environment '" + e.name() + "' is declared twice.",
              "merge the two <" + e.name() + "> elements."));
        } else if (e.value() != null && !e.value().isEmpty() && e.children().isEmpty()) {
          problems.add(new Problem(e.location(), "expects nested elements (the overrides), not a value.",
              "write e.g. <" + e.name() + "><service><replicas>2</replicas></service></" + e.name() + ">."));
        }
      }
    }
    TreeSet<String> known = new TreeSet<>(envNodes.keySet());
    known.add(DEFAULT_ENVIRONMENT);
    if (environment == null || environment.isBlank()) {
      environment = DEFAULT_ENVIRONMENT;
    }
    if (!known.contains(environment)) {
      problems.add(new Problem("-Ddevplugin.env=" + environment,
          "unknown environment '" + environment + "'; the known environments are " + String.join(", ", known) + ".",
          "use -Ddevplugin.env=" + String.join("|", known) + ", or declare <environments><" + environment
              + ">...</" + environment + "></environments> in the plugin configuration."));
      throw new ConfigException(problems);
    }
    TreeSet<String> all = new TreeSet<>(known);
    all.addAll(alsoKnown);
    Map<String, EffectiveConfig> configs = new LinkedHashMap<>();
    for (String env : all) {
      Section.Context ctx = new Section.Context(env);
      EffectiveConfig cfg = parse(ctx, project, base, envNodes.get(env), overrides, env,
          known.contains(env) ? known : all);
      for (Problem p : ctx.problems()) {
        if (!problems.contains(p)) {
          problems.add(p);
        }
      }
      configs.put(env, cfg);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Configuration(configs, environment);
  }

  static EffectiveConfig parse(Section.Context ctx, ProjectInfo project, Map<String, ConfigNode> base,
      ConfigNode envNode, List<Override> overrides, String env, TreeSet<String> known) {
    ConfigNode.Builder root = ConfigNode.builder("configuration", "");
    for (String name : SECTIONS) {
      ConfigNode n = base.get(name);
      if (n != null) {
        root.child(n);
      }
    }
    List<Section.Layer> layers = new ArrayList<>();
    layers.add(new Section.Layer(root.build(), "POM"));
    if (envNode != null) {
      layers.add(new Section.Layer(envNode, "environment " + env));
    }
    for (Override o : overrides) {
      if (o.value() == null) {
        continue;
      }
      layers.add(new Section.Layer(overrideTree(o), o.origin()));
    }
    Section top = new Section(ctx, "", "", layers);
    ServiceConfig service = ServiceConfig.from(top.section("service"), project);
    ImageSettings image = ImageSettings.from(top.section("image"), env, project.javaRelease());
    DatabaseSettings database = DatabaseSettings.from(top.section("database"), project, service.name(), env);
    CacheSettings cache = CacheSettings.from(top.section("cache"));
    KubernetesSettings kubernetes = KubernetesSettings.from(top.section("kubernetes"), project, service, env);
    ComposeSettings compose = ComposeSettings.from(top.section("compose"), project);
    List<SecretSpec> secrets = SecretSpec.from(top.keyed("secrets", "secret", "name"));
    for (SecretSpec s : secrets) {
      if (service.env().containsKey(s.name())) {
        ctx.problem("<service><env><" + s.name() + ">", "'" + s.name() + "' is both a plain variable and a secret.",
            "remove it from <env>; the secret already provides it.");
      }
    }
    if (database.passwordSecret() != null && secrets.stream().noneMatch(s -> s.name().equals(database.passwordSecret()))) {
      ctx.problem("<database><passwordSecret>", "names secret '" + database.passwordSecret()
          + "', which is not declared.", "declare it under <secrets><secret><name>" + database.passwordSecret()
              + "</name>...</secret></secrets>.");
    }
    top.finish();
    List<Section.Trace> trace = new ArrayList<>();
    for (Section.Trace t : ctx.trace().values()) {
      trace.add(new Section.Trace(t.path().startsWith(".") ? t.path().substring(1) : t.path(), t.value(),
          t.origin(), t.location()));
    }
    return new EffectiveConfig(env, List.copyOf(known), project, service, image, database, cache, kubernetes,
        compose, secrets, trace);
  }

  /** {@code image.to=x} as a tree {@code <image><to>x</to></image>} located at the override's origin. */
  private static ConfigNode overrideTree(Override o) {
    String[] parts = o.path().split("\\.");
    ConfigNode node = ConfigNode.leaf(parts[parts.length - 1], o.value(), o.origin());
    for (int i = parts.length - 2; i >= 0; i--) {
      node = ConfigNode.of(parts[i], null, List.of(node), Map.of(), o.origin());
    }
    return ConfigNode.of("configuration", null, List.of(node), Map.of(), o.origin());
  }
}
