package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.EnvironmentError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * User fragments: YAML files in {@code src/main/k8s/} (every environment) and {@code src/main/k8s/<env>/} (one
 * environment), merged into the generated objects by identity. A fragment names its target by {@code kind} (and
 * {@code metadata.name} when the kind is generated more than once); a fragment naming no generated object adds a new
 * one. Maps merge key by key ({@code key: null} deletes a key); lists of containers, env vars, volumes and image pull
 * secrets merge by {@code name}, container ports by {@code containerPort}, Service ports by {@code port}, volume
 * mounts by {@code mountPath}; other lists are replaced whole. {@code $patch: delete} in a list entry deletes the
 * inherited entry, in an object deletes that object, at the top of a document deletes the generated object;
 * {@code $patch: replace} replaces an object instead of merging it.
 */
public final class Fragments {
  public static final String PATCH = "$patch";

  /** One YAML document of a fragment file. */
  public record Fragment(String file, int document, int line, JsonNode node) {
    public String label() {
      return file + (document > 1 ? " (document " + document + ", line " + line + ")" : "");
    }
  }

  /** The merged objects, the files that contributed to each, and the problems found. */
  public record Result(List<HasMetadata> objects, Map<String, List<String>> origins, List<Problem> problems) {}

  private Fragments() {}

  /**
   * Reads {@code dir/*.yaml} then {@code dir/<environment>/*.yaml} (and {@code .yml}), each group in file-name order.
   * A file that is not YAML is a problem naming the file, line and column.
   */
  public static List<Fragment> load(Path dir, String environment, Path basedir, List<Problem> problems) {
    List<Fragment> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files = new ArrayList<>(list(dir));
    Path envDir = dir.resolve(environment);
    if (Files.isDirectory(envDir)) {
      files.addAll(list(envDir));
    }
    for (Path f : files) {
      String label = display(basedir, f);
      String text;
      try {
        text = Files.readString(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new EnvironmentError("Cannot read the Kubernetes fragment " + label + ": " + e.getMessage(), e);
      }
      List<K8sYaml.Document> docs;
      try {
        docs = K8sYaml.documents(text);
      } catch (JacksonException e) {
        TokenStreamLocation loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        problems.add(new Problem(label, "is not valid YAML" + where + ": " + firstLine(e.getOriginalMessage()) + ".",
            "fix the YAML syntax (indentation with spaces, 'key: value', '- ' for list entries); `kubectl create"
                + " --dry-run=client -o yaml` prints valid examples."));
        continue;
      }
      int i = 0;
      for (K8sYaml.Document d : docs) {
        i++;
        out.add(new Fragment(label, i, d.line(), d.node()));
      }
    }
    return out;
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new EnvironmentError("Cannot list the Kubernetes fragments in " + dir + ": " + e.getMessage(), e);
    }
  }

  static String display(Path basedir, Path f) {
    return K8sGoal.display(basedir, f);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "parse error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim().replaceAll("\\.$", "");
  }

  /** Merges the fragments, in order, into the generated objects. */
  public static Result merge(EffectiveConfig cfg, List<HasMetadata> generated, List<Fragment> fragments) {
    List<Problem> problems = new ArrayList<>();
    List<HasMetadata> objects = new ArrayList<>(generated);
    Map<String, List<String>> origins = new LinkedHashMap<>();
    for (Fragment f : fragments) {
      if (!(f.node() instanceof ObjectNode doc)) {
        problems.add(new Problem(f.label(), "is not a Kubernetes object (a YAML mapping with apiVersion, kind,"
            + " metadata).", "write e.g. 'kind: Deployment' followed by the fields to change."));
        continue;
      }
      String kind = text(doc.get("kind"));
      if (kind == null) {
        problems.add(new Problem(f.label(), "has no 'kind'.", "add 'kind: Deployment' (or the kind it changes or"
            + " adds), and metadata.name when more than one object of that kind is generated."));
        continue;
      }
      JsonNode metaNode = doc.get("metadata");
      String name = metaNode == null ? null : text(metaNode.get("name"));
      List<Integer> candidates = new ArrayList<>();
      for (int i = 0; i < objects.size(); i++) {
        HasMetadata o = objects.get(i);
        if (o.getKind().equals(kind) && (name == null || name.equals(o.getMetadata().getName()))) {
          candidates.add(i);
        }
      }
      boolean delete = "delete".equals(text(doc.get(PATCH)));
      if (candidates.size() > 1) {
        problems.add(new Problem(f.label(), "kind " + kind + " matches " + candidates.size() + " generated objects.",
            "add metadata.name to say which one."));
        continue;
      }
      if (candidates.isEmpty()) {
        if (delete) {
          problems.add(new Problem(f.label(), "deletes " + kind + (name == null ? "" : "/" + name)
              + ", but no such object is generated.", "drop the fragment or check kind and metadata.name."));
          continue;
        }
        if (name == null) {
          problems.add(new Problem(f.label(), "changes a " + kind + ", but none is generated.",
              "add metadata.name and apiVersion to add a new object, or target a generated kind."));
          continue;
        }
        HasMetadata added = addNew(cfg, f, doc, problems);
        if (added != null) {
          objects.add(added);
          origins.computeIfAbsent(key(added), k -> new ArrayList<>()).add(f.label());
        }
        continue;
      }
      int index = candidates.get(0);
      HasMetadata target = objects.get(index);
      if (delete) {
        objects.remove(index);
        origins.remove(key(target));
        continue;
      }
      List<String> errors = new ArrayList<>();
      JsonNode merged = mergeNode(K8sYaml.tree(target), doc, "", errors);
      for (String e : errors) {
        problems.add(new Problem(f.label(), "in " + key(target) + ": " + e, "check the entry's identity field"
            + " (name, containerPort, port, mountPath) against the generated object (target/devplugin/k8s)."));
      }
      if (!errors.isEmpty()) {
        continue;
      }
      ObjectNode m = (ObjectNode) merged;
      if (!kind.equals(text(m.get("kind"))) || !target.getMetadata().getName().equals(name(m))) {
        problems.add(new Problem(f.label(), "changes the kind or name of " + key(target) + ".",
            "leave kind and metadata.name as generated; add a new object under another name instead."));
        continue;
      }
      HasMetadata typed = toTyped(m, f.label(), problems);
      if (typed != null) {
        objects.set(index, typed);
        origins.computeIfAbsent(key(typed), k -> new ArrayList<>()).add(f.label());
      }
    }
    return new Result(objects, origins, problems);
  }

  private static HasMetadata addNew(EffectiveConfig cfg, Fragment f, ObjectNode doc, List<Problem> problems) {
    if (text(doc.get("apiVersion")) == null) {
      problems.add(new Problem(f.label(), "adds a new " + text(doc.get("kind")) + " but has no apiVersion.",
          "add apiVersion (e.g. networking.k8s.io/v1 for a NetworkPolicy)."));
      return null;
    }
    ObjectNode copy = (ObjectNode) strip(doc);
    ObjectNode meta = copy.get("metadata") instanceof ObjectNode o ? o : copy.putObject("metadata");
    Class<? extends KubernetesResource> type = K8sYaml.modelClass(text(copy.get("apiVersion")),
        text(copy.get("kind")));
    boolean namespaced = type == null || Namespaced.class.isAssignableFrom(type);
    if (namespaced && meta.get("namespace") == null) {
      meta.put("namespace", cfg.kubernetes().namespace());
    }
    ObjectNode labels = meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
    Map<String, String> defaults = new TreeMap<>(Labels.common(cfg));
    defaults.forEach((k, v) -> {
      if (labels.get(k) == null || Labels.MANAGED_BY.equals(k) || Labels.INSTANCE.equals(k)) {
        labels.put(k, v);
      }
    });
    return toTyped(copy, f.label(), problems);
  }

  private static HasMetadata toTyped(ObjectNode node, String label, List<Problem> problems) {
    try {
      try {
        return K8sYaml.typed(node);
      } catch (RuntimeException wrapped) {
        for (Throwable c = wrapped; c != null; c = c.getCause()) {
          if (c instanceof JacksonException j) {
            throw j;
          }
        }
        throw wrapped;
      }
    } catch (JacksonException e) {
      problems.add(new Problem(label, "does not fit the Kubernetes model at " + jsonPath(e) + ": "
          + firstLine(e.getOriginalMessage()) + ".", "check the field's type in the Kubernetes API reference"
          + " (kubectl explain " + text(node.get("kind")).toLowerCase(java.util.Locale.ROOT) + "."
          + jsonPath(e) + ")."));
      return null;
    } catch (RuntimeException e) {
      problems.add(new Problem(label, "cannot be read as a Kubernetes object: " + firstLine(e.getMessage()) + ".",
          "check apiVersion and kind."));
      return null;
    }
  }

  private static String jsonPath(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "the top level" : sb.toString();
  }

  /** {@code Kind/name}. */
  public static String key(HasMetadata o) {
    return o.getKind() + "/" + o.getMetadata().getName();
  }

  private static String name(ObjectNode n) {
    JsonNode m = n.get("metadata");
    return m == null ? null : text(m.get("name"));
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() || !n.isValueNode() ? null : n.asString();
  }

  /** Merges {@code patch} into a copy of {@code base}. */
  static JsonNode mergeNode(JsonNode base, JsonNode patch, String path, List<String> errors) {
    if (!(patch instanceof ObjectNode p)) {
      return strip(patch);
    }
    if ("replace".equals(text(p.get(PATCH))) || !(base instanceof ObjectNode)) {
      return strip(p);
    }
    ObjectNode result = ((ObjectNode) base).deepCopy();
    for (Map.Entry<String, JsonNode> e : p.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      String sub = path.isEmpty() ? k : path + "." + k;
      if (k.equals(PATCH)) {
        continue;
      }
      if (v == null || v.isNull()) {
        result.remove(k);
      } else if (v instanceof ObjectNode o && "delete".equals(text(o.get(PATCH)))) {
        if (result.remove(k) == null) {
          errors.add(sub + " is deleted, but it is not set.");
        }
      } else if (v instanceof ArrayNode arr && result.get(k) instanceof ArrayNode baseArr) {
        result.set(k, mergeList(k, baseArr, arr, sub, errors));
      } else {
        result.set(k, mergeNode(result.get(k), v, sub, errors));
      }
    }
    return result;
  }

  /** The identity field of a list's entries, or null for lists that are replaced whole. */
  static String identity(String field, ArrayNode base, ArrayNode patch) {
    switch (field) {
      case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets":
        return "name";
      case "volumeMounts":
        return "mountPath";
      case "ports":
        for (ArrayNode a : List.of(base, patch)) {
          for (JsonNode item : a) {
            if (item.has("containerPort")) {
              return "containerPort";
            }
            if (item.has("port")) {
              return "port";
            }
          }
        }
        return "containerPort";
      default:
        return null;
    }
  }

  private static JsonNode mergeList(String field, ArrayNode base, ArrayNode patch, String path, List<String> errors) {
    String id = identity(field, base, patch);
    if (id == null) {
      for (JsonNode item : patch) {
        if (item.has(PATCH)) {
          errors.add(path + ": entries of '" + field + "' have no identity, so single entries cannot be deleted;"
              + " write the whole list instead.");
          return base;
        }
      }
      return strip(patch);
    }
    ArrayNode result = base.deepCopy();
    for (JsonNode item : patch) {
      String itemId = item == null ? null : text(item.get(id));
      if (itemId == null) {
        errors.add(path + ": an entry has no '" + id + "', which identifies entries of '" + field + "'.");
        continue;
      }
      String sub = path + "[" + itemId + "]";
      int found = -1;
      for (int i = 0; i < result.size(); i++) {
        if (itemId.equals(text(result.get(i).get(id)))) {
          found = i;
          break;
        }
      }
      if ("delete".equals(text(item.get(PATCH)))) {
        if (found < 0) {
          errors.add(sub + " is deleted, but no inherited entry has " + id + " '" + itemId + "'.");
        } else {
          result.remove(found);
        }
      } else if (found >= 0) {
        result.set(found, mergeNode(result.get(found), item, sub, errors));
      } else {
        result.add(strip(item));
      }
    }
    return result;
  }

  /** A copy without {@code $patch} directives. */
  static JsonNode strip(JsonNode n) {
    if (n instanceof ObjectNode o) {
      ObjectNode c = o.objectNode();
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (!e.getKey().equals(PATCH) && e.getValue() != null && !e.getValue().isNull()) {
          c.set(e.getKey(), strip(e.getValue()));
        }
      }
      return c;
    }
    if (n instanceof ArrayNode a) {
      ArrayNode c = a.arrayNode();
      for (Iterator<JsonNode> it = a.iterator(); it.hasNext();) {
        JsonNode item = it.next();
        if (!(item instanceof ObjectNode o && "delete".equals(text(o.get(PATCH))))) {
          c.add(strip(item));
        }
      }
      return c;
    }
    return n;
  }

  /** True for objects a fragment added whose kind fabric8 does not model (custom resources). */
  static boolean isGeneric(HasMetadata o) {
    return o instanceof GenericKubernetesResource;
  }
}
