package io.github.devplugin.k8s;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.KubernetesSettings;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recommended labels ({@code app.kubernetes.io/*}) and the selectors built from them. Selectors never contain
 * the version: a Deployment's selector is immutable, so a version in it would make every redeploy fail.
 * {@code managed-by} and {@code instance} together identify what this plugin created for one service in one
 * environment; {@code apply} prunes and {@code undeploy} deletes by them.
 */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** The value of {@link #MANAGED_BY} on everything this plugin creates. */
  public static final String MANAGER = "devplugin";

  public static final String SERVER = "server";
  public static final String MIGRATION = "migration";

  private Labels() {}

  /** {@code <service>-<env>}: unique per service and environment. */
  public static String instance(EffectiveConfig c) {
    return labelValue(c.service().name() + "-" + c.environment());
  }

  public static Map<String, String> common(EffectiveConfig c, String component) {
    Map<String, String> m = new TreeMap<>(selector(c, component));
    m.put(VERSION, labelValue(c.service().version()));
    m.put(PART_OF, c.kubernetes().partOf());
    m.put(MANAGED_BY, MANAGER);
    return m;
  }

  /** Labels of objects that belong to no component (Namespace, ServiceAccount, ConfigMap). */
  public static Map<String, String> common(EffectiveConfig c) {
    Map<String, String> m = common(c, SERVER);
    m.remove(COMPONENT);
    return m;
  }

  /** name, instance and component: stable across versions. */
  public static Map<String, String> selector(EffectiveConfig c, String component) {
    Map<String, String> m = new TreeMap<>();
    m.put(NAME, c.service().name());
    m.put(INSTANCE, instance(c));
    m.put(COMPONENT, component);
    return m;
  }

  /** managed-by and instance: what identifies the objects of this service in this environment. */
  public static Map<String, String> ownership(EffectiveConfig c) {
    return ownership(instance(c));
  }

  public static Map<String, String> ownership(String instance) {
    Map<String, String> m = new TreeMap<>();
    m.put(MANAGED_BY, MANAGER);
    m.put(INSTANCE, instance);
    return m;
  }

  /** A valid label value: invalid characters become '-', cut to 63, trimmed to alphanumerics at both ends. */
  public static String labelValue(String s) {
    String v = s == null ? "" : s.replaceAll("[^A-Za-z0-9_.-]", "-");
    if (v.length() > 63) {
      v = v.substring(0, 63);
    }
    v = v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    if (!KubernetesSettings.isLabelValue(v)) {
      throw new IllegalStateException("not a label value: " + v);
    }
    return v;
  }
}
