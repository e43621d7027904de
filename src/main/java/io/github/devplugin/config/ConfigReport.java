package io.github.devplugin.config;

import io.github.devplugin.core.Json;
import io.github.devplugin.core.Masker;
import io.github.devplugin.framework.FrameworkProfile;
import io.github.devplugin.framework.Probe;
import io.github.devplugin.framework.ResolvedFramework;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The effective configuration of an environment with the origin of every value, as printed by
 * {@code devplugin:config} and written as JSON. Secret values never appear: only where they come from and whether
 * they resolve.
 */
public final class ConfigReport {
  private ConfigReport() {}

  /** Human-readable lines, one value each: {@code service.port = 8080   [POM <service><port>]}. */
  public static List<String> lines(EffectiveConfig config, List<Secrets.Status> secrets) {
    List<String> out = new ArrayList<>();
    out.add("Effective configuration of environment '" + config.environment() + "' (known environments: "
        + String.join(", ", config.environments()) + ")");
    int width = 0;
    for (Section.Trace t : config.trace()) {
      width = Math.max(width, t.path().length());
    }
    for (Secrets.Status s : secrets) {
      width = Math.max(width, ("secrets." + s.name()).length());
    }
    for (Section.Trace t : config.trace()) {
      out.add("  " + pad(t.path(), width) + " = " + (t.value() == null ? "(unset)" : t.value()) + "   ["
          + origin(t) + "]");
    }
    for (Secrets.Status s : secrets) {
      out.add("  " + pad("secrets." + s.name(), width) + " = "
          + (s.present() ? Masker.MASK : "(missing: " + s.problem() + ")") + "   [" + s.source() + "]");
    }
    out.addAll(frameworkLines(config.service().framework()));
    return out;
  }

  /** The framework and what it gets: {@code Framework: spring-boot 3.5.7 (detected: dependency ...)}, then details. */
  static List<String> frameworkLines(ResolvedFramework f) {
    FrameworkProfile p = f.profile();
    List<String> out = new ArrayList<>();
    out.add("Framework: " + f.summary());
    out.add("  probes: liveness " + probe(p.liveness(), p) + ", readiness " + probe(p.readiness(), p) + ", startup "
        + probe(p.startup(), p));
    List<String> vars = new ArrayList<>();
    for (Map.Entry<String, String> e : p.variables().byKey().entrySet()) {
      vars.add(e.getKey() + "=" + e.getValue());
    }
    out.add("  variables: " + String.join(", ", vars));
    if (!p.environment().isEmpty()) {
      out.add("  environment: " + join(p.environment()));
    }
    if (!p.migrationEnvironment().isEmpty()) {
      out.add("  when devplugin migrates: " + join(p.migrationEnvironment()));
    }
    if (!p.excludedArtifacts().isEmpty()) {
      out.add("  left out of the image: " + String.join(", ", p.excludedArtifacts()));
    }
    out.add("  launch: " + p.launch());
    for (String note : p.notes()) {
      out.add("  note: " + note);
    }
    return out;
  }

  /** {@code GET /path}, with {@code on management port N} when it is served on a separate management port. */
  private static String probe(Probe probe, FrameworkProfile p) {
    return probe + (probe.management() && p.managementPort() != null ? " on management port " + p.managementPort()
        : "");
  }

  private static String join(Map<String, String> env) {
    List<String> parts = new ArrayList<>();
    env.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(", ", parts);
  }

  private static Map<String, Object> frameworkJson(ResolvedFramework f) {
    FrameworkProfile p = f.profile();
    Map<String, Object> m = new TreeMap<>();
    m.put("name", f.framework().label());
    m.put("version", f.version());
    m.put("why", f.why());
    m.put("setting", f.setting());
    Map<String, Object> probes = new TreeMap<>();
    probes.put("liveness", probe(p.liveness(), p));
    probes.put("readiness", probe(p.readiness(), p));
    probes.put("startup", probe(p.startup(), p));
    m.put("probes", probes);
    m.put("managementPort", p.managementPort());
    m.put("variables", new TreeMap<>(p.variables().byKey()));
    m.put("environment", p.environment());
    m.put("migrationEnvironment", p.migrationEnvironment());
    m.put("excludedArtifacts", p.excludedArtifacts());
    m.put("launch", p.launch().toString());
    m.put("notes", p.notes());
    return m;
  }

  /** The same as deterministic JSON (sorted keys, no timestamps). */
  public static String json(EffectiveConfig config, List<Secrets.Status> secrets) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("environment", config.environment());
    root.put("environments", config.environments());
    Map<String, Object> values = new TreeMap<>();
    for (Section.Trace t : config.trace()) {
      Map<String, Object> v = new TreeMap<>();
      v.put("value", t.value());
      v.put("origin", t.origin());
      v.put("element", t.location());
      values.put(t.path(), v);
    }
    root.put("values", values);
    Map<String, Object> secretMap = new TreeMap<>();
    for (Secrets.Status s : secrets) {
      Map<String, Object> v = new TreeMap<>();
      v.put("source", s.source());
      v.put("present", s.present());
      secretMap.put(s.name(), v);
    }
    root.put("secrets", secretMap);
    root.put("framework", frameworkJson(config.service().framework()));
    return Json.write(root);
  }

  private static String origin(Section.Trace t) {
    if (Section.DEFAULT.equals(t.origin())) {
      return "default";
    }
    if (t.origin().startsWith("-D") || t.origin().startsWith("plugin parameter")) {
      return t.origin();
    }
    return t.origin() + " " + t.location();
  }

  private static String pad(String s, int width) {
    StringBuilder sb = new StringBuilder(s);
    while (sb.length() < width) {
      sb.append(' ');
    }
    return sb.toString();
  }
}
