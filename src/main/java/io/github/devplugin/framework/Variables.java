package io.github.devplugin.framework;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names of the environment variables through which the service receives its settings. A null name means the
 * service does not receive that value (Spring Boot gets Redis as host and port, not as a URL).
 *
 * @param port the HTTP port
 * @param databaseUrl the JDBC URL
 * @param redisUrl Redis as {@code redis://host:port}
 */
public record Variables(String port, String databaseUrl, String databaseUser, String databasePassword,
    String redisUrl, String redisHost, String redisPort) {

  /** The keys of {@code <service><variables>}, in order. */
  public static final java.util.List<String> KEYS = java.util.List.of("port", "databaseUrl", "databaseUser",
      "databasePassword", "redisUrl", "redisHost", "redisPort");

  /** Key ({@link #KEYS}) to name, in {@link #KEYS} order; unset names are left out. */
  public Map<String, String> byKey() {
    Map<String, String> out = new LinkedHashMap<>();
    String[] names = {port, databaseUrl, databaseUser, databasePassword, redisUrl, redisHost, redisPort};
    for (int i = 0; i < names.length; i++) {
      if (names[i] != null) {
        out.put(KEYS.get(i), names[i]);
      }
    }
    return out;
  }

  /** The name of {@code key} ({@link #KEYS}), or null. */
  public String get(String key) {
    return byKey().get(key);
  }

  /** These names with some replaced: {@code key} ({@link #KEYS}) to the user's name. */
  public Variables with(Map<String, String> overrides) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : KEYS) {
      m.put(k, overrides.containsKey(k) ? overrides.get(k) : get(k));
    }
    return new Variables(m.get("port"), m.get("databaseUrl"), m.get("databaseUser"), m.get("databasePassword"),
        m.get("redisUrl"), m.get("redisHost"), m.get("redisPort"));
  }
}
