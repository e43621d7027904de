package io.github.devplugin.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small pieces of compose YAML trees that the services and the override files share. */
final class ComposeFragments {
  private ComposeFragments() {}

  /** An exec-form health check whose command is taken literally ({@code $} escaped). */
  static Map<String, Object> healthcheck(List<String> command, String interval, String timeout, int retries,
      String startPeriod) {
    return healthcheck(command, interval, timeout, retries, startPeriod, false);
  }

  /** An exec-form health check; {@code interpolated}: the command holds {@code ${VAR}} references for Compose. */
  static Map<String, Object> healthcheck(List<String> command, String interval, String timeout, int retries,
      String startPeriod, boolean interpolated) {
    List<String> test = new ArrayList<>();
    test.add("CMD");
    test.addAll(interpolated ? command : literals(command));
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("test", test);
    h.put("interval", interval);
    h.put("timeout", timeout);
    h.put("retries", retries);
    h.put("start_period", startPeriod);
    return h;
  }

  /** A map in the order given (Map.of iterates in an order that changes from one JVM to the next). */
  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** A {@code depends_on} entry. */
  static Map<String, Object> condition(String condition) {
    return Map.of("condition", condition);
  }

  static List<String> literals(List<String> values) {
    return values.stream().map(io.github.devplugin.framework.EnvValues.Syntax.COMPOSE::escape).toList();
  }

  @SuppressWarnings("unchecked")
  static <T> Map<String, T> cast(Object o) {
    return (Map<String, T>) o;
  }
}
