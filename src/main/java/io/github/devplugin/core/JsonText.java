package io.github.devplugin.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes small JSON documents exactly as {@link Json#write} does (Jackson's default pretty printer, map keys sorted, a
 * trailing newline), without Jackson: the image goal's incremental path writes {@code image.json} and the SBOM's
 * OCI manifests through this, so that a build that changed one class does not load jackson-databind (about 600
 * classes) for them. {@code JsonTextTest} holds both writers to the same bytes.
 *
 * <p>Values: {@code null}, {@link String}, {@link Number}, {@link Boolean}, {@link Map} (written with its keys sorted,
 * as {@code ORDER_MAP_ENTRIES_BY_KEYS} does), {@link List}, and {@link Fields} (an object whose fields keep their
 * order, as a record's do).
 */
public final class JsonText {
  private JsonText() {}

  /** An object whose fields are written in this order (a record's components). */
  public record Fields(List<Map.Entry<String, Object>> entries) {
    public static Fields of(Object... namesAndValues) {
      List<Map.Entry<String, Object>> e = new ArrayList<>();
      for (int i = 0; i < namesAndValues.length; i += 2) {
        e.add(new java.util.AbstractMap.SimpleImmutableEntry<>((String) namesAndValues[i], namesAndValues[i + 1]));
      }
      return new Fields(e);
    }
  }

  /** The document, with a trailing newline. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    value(out, value, 0);
    return out.append('\n').toString();
  }

  private static void value(StringBuilder out, Object v, int level) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(out, s);
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
      object(out, new ArrayList<>(sorted.entrySet()), level);
    } else if (v instanceof Fields f) {
      object(out, f.entries(), level);
    } else if (v instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[ ]");
        return;
      }
      out.append("[ ");
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        value(out, list.get(i), level);
      }
      out.append(" ]");
    } else {
      throw new IllegalArgumentException("JsonText does not write a " + v.getClass().getName());
    }
  }

  private static void object(StringBuilder out, List<Map.Entry<String, Object>> entries, int level) {
    if (entries.isEmpty()) {
      out.append("{ }");
      return;
    }
    out.append('{');
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append('\n').append("  ".repeat(level + 1));
      string(out, entries.get(i).getKey());
      out.append(" : ");
      value(out, entries.get(i).getValue(), level + 1);
    }
    out.append('\n').append("  ".repeat(level)).append('}');
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
