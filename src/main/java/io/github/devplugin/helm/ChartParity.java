package io.github.devplugin.helm;

import io.github.devplugin.core.Problem;
import io.github.devplugin.k8s.K8sYaml;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Proves that what Helm rendered is what {@code devplugin:k8s} generates: both sides parsed into objects, keyed by
 * apiVersion, kind, namespace and name, and compared field by field. The only difference allowed is the Helm-only
 * label {@value ChartBuilder#CHART_LABEL} ({@link #HELM_ONLY_LABELS}).
 */
public final class ChartParity {
  /** Labels Helm's conventions add and the kustomize output does not have. */
  public static final Set<String> HELM_ONLY_LABELS = Set.of(ChartBuilder.CHART_LABEL);

  private ChartParity() {}

  /**
   * @param expected the objects devplugin:k8s generates for the environment (YAML documents)
   * @param rendered what {@code helm template} printed
   * @param what e.g. {@code helm template -f values-prod.yaml}, for the messages
   * @return one problem per object that is missing, extra or different (empty when they are equal)
   */
  public static List<Problem> compare(String expected, String rendered, String what) {
    Map<String, JsonNode> want = byIdentity(expected);
    Map<String, JsonNode> got = byIdentity(rendered);
    List<Problem> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : want.entrySet()) {
      JsonNode g = got.get(e.getKey());
      if (g == null) {
        out.add(new Problem(e.getKey(), what + " does not render this object, which devplugin:k8s generates.",
            FIX));
        continue;
      }
      String diff = firstDifference("", e.getValue(), g);
      if (diff != null) {
        out.add(new Problem(e.getKey(), what + " renders it differently from devplugin:k8s at " + diff + ".", FIX));
      }
    }
    for (String k : got.keySet()) {
      if (!want.containsKey(k)) {
        out.add(new Problem(k, what + " renders this object, which devplugin:k8s does not generate.", FIX));
      }
    }
    return out;
  }

  private static final String FIX = "this is a devplugin bug: report it with the chart directory and the"
      + " environment's manifests (target/devplugin/k8s/<env>/); meanwhile deploy with kubectl apply -k.";

  /** The objects of a multi-document YAML text by {@code apiVersion kind namespace/name}, Helm-only labels removed. */
  static Map<String, JsonNode> byIdentity(String yaml) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (K8sYaml.Document d : K8sYaml.documents(yaml)) {
      JsonNode n = d.node();
      if (!n.isObject()) {
        continue;
      }
      JsonNode labels = n.path("metadata").path("labels");
      if (labels.isObject()) {
        HELM_ONLY_LABELS.forEach(((ObjectNode) labels)::remove);
        if (labels.isEmpty()) {
          ((ObjectNode) n.get("metadata")).remove("labels");
        }
      }
      JsonNode meta = n.path("metadata");
      String ns = meta.path("namespace").asString("");
      out.put(n.path("apiVersion").asString("") + " " + n.path("kind").asString("") + " "
          + (ns.isEmpty() ? "" : ns + "/") + meta.path("name").asString(""), n);
    }
    return out;
  }

  /** The path and both values of the first difference, or null when equal. */
  static String firstDifference(String path, JsonNode want, JsonNode got) {
    if (want.isObject() && got.isObject()) {
      Set<String> keys = new java.util.TreeSet<>(want.propertyNames());
      keys.addAll(got.propertyNames());
      for (String k : keys) {
        String p = path.isEmpty() ? k : path + "." + k;
        JsonNode w = want.get(k);
        JsonNode g = got.get(k);
        if (w == null || g == null) {
          return p + " (expected " + (w == null ? "no field" : w) + ", rendered " + (g == null ? "no field" : g)
              + ")";
        }
        String d = firstDifference(p, w, g);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (want.isArray() && got.isArray() && want.size() == got.size()) {
      Iterator<JsonNode> gi = got.values().iterator();
      int i = 0;
      for (JsonNode w : want.values()) {
        String d = firstDifference(path + "[" + i++ + "]", w, gi.next());
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return want.equals(got) ? null : (path.isEmpty() ? "the object" : path) + " (expected " + want + ", rendered "
        + got + ")";
  }
}
