package io.github.devplugin.config;

import io.github.devplugin.core.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A layered reader over configuration elements: the POM base, then an environment's overlay, then {@code -D}
 * overrides, each layer overriding the ones below it key by key. Reading a key records where its value came from
 * (for {@code devplugin:config}); every key read must be declared in {@link ConfigKeys}, and {@link #finish()} reports
 * every element that {@link ConfigKeys} does not declare in its section as unknown, with the declared names and a
 * "did you mean". Lists merge by identity ({@link #keyed}, {@link #map}),
 * never by appending; an overlay entry with {@code remove="true"} deletes an inherited one. Problems are collected, not
 * thrown, so one run reports all of them.
 */
public final class Section {
  /** One layer's element for this section, and the label of where that layer comes from. */
  public record Layer(ConfigNode node, String origin) {}

  /** A scalar as read: its text, where it came from, and the element that holds it. */
  public record Value(String text, String origin, String location) {}

  /** The shared state of one parse: problems and the trace of effective values. */
  public static final class Context {
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> reported = new LinkedHashSet<>();
    private final Map<String, Trace> trace = new LinkedHashMap<>();
    private final Set<String> keysRead = new LinkedHashSet<>();
    private final String environment;

    public Context(String environment) {
      this.environment = environment;
    }

    public String environment() {
      return environment;
    }

    public void problem(String element, String message, String fix) {
      if (reported.add(element + "|" + message)) {
        problems.add(new Problem(element, message, fix));
      }
    }

    public List<Problem> problems() {
      return List.copyOf(problems);
    }

    public Map<String, Trace> trace() {
      return java.util.Collections.unmodifiableMap(trace);
    }

    /** The declared paths ({@link ConfigKeys}) of every key read in this parse, in reading order. */
    public Set<String> keysRead() {
      return java.util.Collections.unmodifiableSet(keysRead);
    }

    void trace(String path, String value, String origin, String location) {
      trace.put(path, new Trace(path, value, origin, location));
    }
  }

  /** Where one effective value came from. */
  public record Trace(String path, String value, String origin, String location) {}

  public static final String DEFAULT = "default";

  private final Context ctx;
  private final String path;
  private final String element;
  private final List<Layer> layers;
  private final List<Section> subsections = new ArrayList<>();

  public Section(Context ctx, String path, String element, List<Layer> layers) {
    this.ctx = ctx;
    this.path = path;
    this.element = element;
    this.layers = List.copyOf(layers);
  }

  public Context context() {
    return ctx;
  }

  /** The dotted path of this section, e.g. {@code service.resources}. */
  public String path() {
    return path;
  }

  /** The POM element of this section, e.g. {@code <service><resources>}. */
  public String element() {
    return element;
  }

  /** The element where {@code key} is (or would be) written: the highest layer that has it, else the base. */
  public String elementOf(String key) {
    for (int i = layers.size() - 1; i >= 0; i--) {
      List<ConfigNode> found = layers.get(i).node().children(key);
      if (!found.isEmpty()) {
        return found.get(0).location();
      }
    }
    return element + "<" + key + ">";
  }

  /** True when any layer sets {@code key}. */
  public boolean isSet(String key) {
    declared(key);
    for (Layer l : layers) {
      if (!l.node().children(key).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The highest-precedence value of a scalar key, or null. Empty elements count as not set. */
  public Value raw(String key) {
    declare(key, null);
    for (int i = layers.size() - 1; i >= 0; i--) {
      Layer layer = layers.get(i);
      List<ConfigNode> found = layer.node().children(key);
      if (found.isEmpty()) {
        continue;
      }
      if (found.size() > 1) {
        ctx.problem(found.get(1).location(), "is given " + found.size() + " times.",
            "keep one " + tag(key) + " in " + layer.node().location() + ".");
      }
      ConfigNode node = found.get(0);
      if (!node.children().isEmpty()) {
        ctx.problem(node.location(), "expects a single value, not nested elements.",
            "write it as " + tag(key) + "value" + endTag(key) + ".");
        return null;
      }
      if (node.value() == null || node.value().isEmpty()) {
        continue;
      }
      return new Value(node.value(), layer.origin(), node.location());
    }
    return null;
  }

  public String string(String key, String defaultValue) {
    Value v = raw(key);
    if (v == null) {
      traceDefault(key, defaultValue);
      return defaultValue;
    }
    trace(key, v);
    return v.text();
  }

  /** A string that must be set; reports a problem naming the element and the fix when it is not. */
  public String requiredString(String key, String fix) {
    Value v = raw(key);
    if (v == null) {
      ctx.problem(element + tag(key), "is required but not set.", fix);
      return null;
    }
    trace(key, v);
    return v.text();
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Value v = raw(key);
    if (v == null) {
      traceDefault(key, String.valueOf(defaultValue));
      return defaultValue;
    }
    trace(key, v);
    try {
      int n = Integer.parseInt(v.text().trim());
      if (n < min || n > max) {
        ctx.problem(v.location(), "'" + v.text() + "' is out of range.",
            "use a whole number from " + min + " to " + max + ".");
        return defaultValue;
      }
      return n;
    } catch (NumberFormatException e) {
      ctx.problem(v.location(), "'" + v.text() + "' is not a whole number.",
          "use a whole number from " + min + " to " + max + ".");
      return defaultValue;
    }
  }

  public boolean bool(String key, boolean defaultValue) {
    Value v = raw(key);
    if (v == null) {
      traceDefault(key, String.valueOf(defaultValue));
      return defaultValue;
    }
    trace(key, v);
    String t = v.text().trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return true;
    }
    if (t.equals("false")) {
      return false;
    }
    ctx.problem(v.location(), "'" + v.text() + "' is not a boolean.", "use true or false.");
    return defaultValue;
  }

  /** One of an enum's constants, written in lower case with dashes ({@code ENGINE} as {@code engine}). */
  public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    Value v = raw(key);
    if (v == null) {
      traceDefault(key, defaultValue == null ? null : label(defaultValue));
      return defaultValue;
    }
    trace(key, v);
    for (E e : type.getEnumConstants()) {
      if (label(e).equals(v.text().trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(label(e));
    }
    ctx.problem(v.location(), "'" + v.text() + "' is not one of " + String.join(", ", names) + ".",
        "use one of " + String.join(", ", names) + ".");
    return defaultValue;
  }

  /** The lower-case, dashed spelling of an enum constant in configuration. */
  public static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * A plain list of values: {@code <tags><tag>a</tag><tag>b</tag></tags>} or {@code <tags>a,b</tags>}. The highest
   * layer that sets the list replaces it whole.
   */
  public List<String> list(String key, String itemName, List<String> defaultValue) {
    declare(key, ConfigKeys.Type.LIST, itemName, null);
    for (int i = layers.size() - 1; i >= 0; i--) {
      Layer layer = layers.get(i);
      List<ConfigNode> found = layer.node().children(key);
      if (found.isEmpty()) {
        continue;
      }
      ConfigNode node = found.get(0);
      List<String> items = new ArrayList<>();
      if (node.children().isEmpty()) {
        if (node.value() != null) {
          for (String part : node.value().split(",")) {
            if (!part.trim().isEmpty()) {
              items.add(part.trim());
            }
          }
        }
      } else {
        for (ConfigNode c : node.children()) {
          if (!c.name().equals(itemName)) {
            ctx.problem(c.location(), "is not a valid entry of " + tag(key) + ".",
                "write each entry as " + tag(itemName) + "..." + endTag(itemName) + ".");
            continue;
          }
          if (c.value() != null && !c.value().isEmpty()) {
            items.add(c.value());
          }
        }
      }
      ctx.trace(path + "." + key, String.join(",", items), layer.origin(), node.location());
      return List.copyOf(items);
    }
    ctx.trace(path + "." + key, String.join(",", defaultValue), DEFAULT, element + tag(key));
    return List.copyOf(defaultValue);
  }

  /**
   * A map of names to values, {@code <env><LOG_LEVEL>info</LOG_LEVEL></env>}, merged across layers by name;
   * {@code <NAME remove="true"/>} in an overlay deletes an inherited entry.
   */
  public Map<String, Value> map(String key) {
    declare(key, ConfigKeys.Type.MAP);
    Map<String, Value> merged = new LinkedHashMap<>();
    for (Layer layer : layers) {
      List<ConfigNode> found = layer.node().children(key);
      if (found.isEmpty()) {
        continue;
      }
      Set<String> seen = new LinkedHashSet<>();
      for (ConfigNode c : found.get(0).children()) {
        if (!seen.add(c.name())) {
          ctx.problem(c.location(), "is given twice in " + found.get(0).location() + ".",
              "keep one " + tag(c.name()) + ".");
          continue;
        }
        if (c.isRemoval()) {
          if (merged.remove(c.name()) == null) {
            ctx.problem(c.location(), "removes '" + c.name() + "', but no lower layer sets it.",
                "drop the element or check its spelling.");
          }
          continue;
        }
        if (!c.children().isEmpty()) {
          ctx.problem(c.location(), "expects a single value, not nested elements.",
              "write it as " + tag(c.name()) + "value" + endTag(c.name()) + ".");
          continue;
        }
        merged.put(c.name(), new Value(c.value() == null ? "" : c.value(), layer.origin(), c.location()));
      }
    }
    for (Map.Entry<String, Value> e : merged.entrySet()) {
      ctx.trace(path + "." + key + "." + e.getKey(), e.getValue().text(), e.getValue().origin(),
          e.getValue().location());
    }
    return merged;
  }

  /**
   * Alternatives of which one layer decides: the highest layer that sets any of {@code keys} supplies all of them,
   * and lower layers' values of the group are ignored (an overlay switching a secret from {@code <env>} to
   * {@code <server>} replaces the source instead of adding a second one).
   */
  public Map<String, Value> oneOf(String... keys) {
    Map<String, Value> out = new LinkedHashMap<>();
    for (String k : keys) {
      declare(k, null);
    }
    for (int i = layers.size() - 1; i >= 0 && out.isEmpty(); i--) {
      Layer layer = layers.get(i);
      for (String k : keys) {
        List<ConfigNode> found = layer.node().children(k);
        if (!found.isEmpty() && found.get(0).value() != null && !found.get(0).value().isEmpty()) {
          Value v = new Value(found.get(0).value(), layer.origin(), found.get(0).location());
          out.put(k, v);
          trace(k, v);
        }
      }
    }
    return out;
  }

  /** A nested section, layered like this one. */
  public Section section(String key) {
    declare(key, ConfigKeys.Type.SECTION);
    List<Layer> sub = new ArrayList<>();
    for (Layer layer : layers) {
      List<ConfigNode> found = layer.node().children(key);
      if (found.isEmpty()) {
        continue;
      }
      if (found.size() > 1) {
        ctx.problem(found.get(1).location(), "is given " + found.size() + " times.",
            "merge them into one " + tag(key) + ".");
      }
      ConfigNode node = found.get(0);
      if (node.children().isEmpty() && node.value() != null && !node.value().isEmpty()) {
        ctx.problem(node.location(), "expects nested elements, not a value.",
            "write its elements inside it: " + String.join(", ", sortedTags(ConfigKeys.children(
                ConfigKeys.declaredPath(path + "." + key)))) + ".");
        continue;
      }
      sub.add(new Layer(node, layer.origin()));
    }
    Section s = new Section(ctx, path + "." + key, element + tag(key), sub);
    subsections.add(s);
    return s;
  }

  /**
   * A list of entries identified by one of their elements (ports by {@code number}, volumes by {@code name}), merged
   * across layers by that identity: an overlay entry with the same identity overrides the inherited one key by key, a
   * new identity is added, {@code remove="true"} deletes. Entries keep the order in which they first appear.
   */
  public List<Section> keyed(String key, String itemName, String idKey) {
    declare(key, ConfigKeys.Type.ENTRIES, itemName, idKey);
    Map<String, List<Layer>> merged = new LinkedHashMap<>();
    Map<String, String> firstLocation = new LinkedHashMap<>();
    for (Layer layer : layers) {
      List<ConfigNode> found = layer.node().children(key);
      if (found.isEmpty()) {
        continue;
      }
      ConfigNode container = found.get(0);
      Set<String> seen = new LinkedHashSet<>();
      for (ConfigNode item : container.children()) {
        if (!item.name().equals(itemName)) {
          ctx.problem(item.location(), "is not a valid entry of " + tag(key) + ".",
              "write each entry as " + tag(itemName) + "..." + endTag(itemName) + "." + didYouMean(item.name(),
                  List.of(itemName)));
          continue;
        }
        List<ConfigNode> ids = item.children(idKey);
        String id = ids.isEmpty() ? null : ids.get(0).value();
        if (id == null || id.isBlank()) {
          ctx.problem(item.location(), "has no " + tag(idKey) + ".",
              "add " + tag(idKey) + "..." + endTag(idKey) + " to name the entry.");
          continue;
        }
        id = id.trim();
        if (!seen.add(id)) {
          ctx.problem(item.location(), "duplicate " + idKey + " '" + id + "' in " + container.location() + ".",
              "give each " + tag(itemName) + " a unique " + tag(idKey) + ", or merge the two entries.");
          continue;
        }
        if (item.isRemoval()) {
          if (merged.remove(id) == null) {
            ctx.problem(item.location(), "removes " + idKey + " '" + id + "', but no lower layer declares it.",
                "drop the entry or check the " + tag(idKey) + ".");
          }
          firstLocation.remove(id);
          continue;
        }
        merged.computeIfAbsent(id, k -> new ArrayList<>()).add(new Layer(item, layer.origin()));
        firstLocation.putIfAbsent(id, item.location());
      }
    }
    List<Section> out = new ArrayList<>();
    for (Map.Entry<String, List<Layer>> e : merged.entrySet()) {
      Section s = new Section(ctx, path + "." + key + "[" + e.getKey() + "]", firstLocation.get(e.getKey()),
          e.getValue());
      subsections.add(s);
      out.add(s);
    }
    return out;
  }

  /** Reports every element of every layer that no read asked for, recursively. */
  public void finish() {
    List<String> known = ConfigKeys.children(ConfigKeys.declaredPath(path));
    for (Layer layer : layers) {
      for (ConfigNode c : layer.node().children()) {
        if (!known.contains(c.name())) {
          ctx.problem(c.location(), "is not a devplugin setting here." + didYouMean(c.name(), known),
              "remove it, or use one of: " + String.join(", ", sortedTags(known)) + ".");
        }
      }
    }
    for (Section s : subsections) {
      s.finish();
    }
  }

  /** Records a problem about a value that was read. */
  public void problem(Value v, String message, String fix) {
    ctx.problem(v.location(), message, fix);
  }

  /** Records a problem about a key of this section. */
  public void problem(String key, String message, String fix) {
    ctx.problem(elementOf(key), message, fix);
  }

  /**
   * Checks that {@code key} of this section is declared in {@link ConfigKeys} with the structure the read expects and
   * records it as read: reading an undeclared key is a programming error (declare it, and so document it, first).
   *
   * @param type the declared type a structured read expects, or null for a scalar read
   */
  private void declare(String key, ConfigKeys.Type type) {
    declare(key, type, null, null);
  }

  private void declare(String key, ConfigKeys.Type type, String item, String id) {
    ConfigKeys.Key k = declared(key);
    String declared = k.path();
    boolean structured = switch (k.type()) {
      case SECTION, LIST, MAP, ENTRIES -> true;
      default -> false;
    };
    if (type == null ? structured : k.type() != type || !java.util.Objects.equals(k.item(), item)
        || !java.util.Objects.equals(k.id(), id)) {
      throw new IllegalStateException("configuration key " + declared + " is declared as " + k.type() + " ("
          + k.item() + ", " + k.id() + ") but read as " + (type == null ? "a value" : type + " (" + item + ", " + id
          + ")"));
    }
  }

  /** The declaration of {@code key}, which is recorded as read; a key of any type may be tested with isSet. */
  private ConfigKeys.Key declared(String key) {
    String declared = ConfigKeys.declaredPath(path + "." + key);
    ConfigKeys.Key k = ConfigKeys.find(declared).orElseThrow(() -> new IllegalStateException(
        "configuration key " + declared + " is read but not declared in ConfigKeys"));
    ctx.keysRead.add(declared);
    return k;
  }

  private void trace(String key, Value v) {
    ctx.trace(path + "." + key, v.text(), v.origin(), v.location());
  }

  private void traceDefault(String key, String value) {
    ctx.trace(path + "." + key, value, DEFAULT, element + tag(key));
  }

  static String tag(String name) {
    return "<" + name + ">";
  }

  static String endTag(String name) {
    return "</" + name + ">";
  }

  private static List<String> sortedTags(Collection<String> names) {
    return names.stream().sorted().map(Section::tag).toList();
  }

  /** " Did you mean <x>?" for the closest known name within edit distance 2, or an empty string. */
  static String didYouMean(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= 2 ? " Did you mean " + tag(best) + "?" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
