package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The model rule: a field the fabric8 model does not know (it lands in {@code additionalProperties}) is a typo or a
 * field of another kind, found by walking every object's getters.
 */
final class ModelRules {
  private final Findings findings;

  ModelRules(Findings findings) {
    this.findings = findings;
  }

  /** Fields the model does not know end up in additionalProperties: a typo or a field of another kind. */
  void check(HasMetadata o) {
    if (o instanceof GenericKubernetesResource) {
      return;
    }
    walk(o, "", o);
  }

  private void walk(Object value, String path, HasMetadata owner) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> c) {
      int i = 0;
      for (Object item : c) {
        walk(item, path + "[" + identityOf(item, i) + "]", owner);
        i++;
      }
      return;
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (isModel(e.getValue())) {
          walk(e.getValue(), path + "." + e.getKey(), owner);
        }
      }
      return;
    }
    if (!isModel(value) || value instanceof Quantity || value instanceof IntOrString) {
      return;
    }
    for (Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class || m.getName().equals("getClass")) {
        continue;
      }
      Object v;
      try {
        v = m.invoke(value);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra) {
          for (Object k : extra.keySet()) {
            String field = (path.isEmpty() ? "" : path + ".") + k;
            findings.error(owner, field, "is not a field of " + owner.getKind() + " here ("
                + value.getClass().getSimpleName() + ").",
                "check the spelling and indentation against `kubectl explain "
                + owner.getKind().toLowerCase(Locale.ROOT) + "." + stripIndexes(field) + "`.");
          }
        }
        continue;
      }
      String prop = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      walk(v, path.isEmpty() ? prop : path + "." + prop, owner);
    }
  }

  private static String stripIndexes(String path) {
    return path.replaceAll("\\[[^]]*]", "");
  }

  private static boolean isModel(Object v) {
    return v != null && (v instanceof Collection || v instanceof Map
        || v.getClass().getName().startsWith("io.fabric8.kubernetes.api.model"));
  }

  private static String identityOf(Object item, int index) {
    if (item instanceof Container c && c.getName() != null) {
      return c.getName();
    }
    if (item instanceof EnvVar e && e.getName() != null) {
      return e.getName();
    }
    if (item instanceof Volume v && v.getName() != null) {
      return v.getName();
    }
    if (item instanceof ContainerPort p && p.getContainerPort() != null) {
      return String.valueOf(p.getContainerPort());
    }
    return String.valueOf(index);
  }
}
