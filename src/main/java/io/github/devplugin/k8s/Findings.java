package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.devplugin.core.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the validation rules found, each naming the object, the field and where the object came from (the fragments
 * that changed it): errors fail the build; a waived policy rule and a risk worth knowing are warnings.
 */
final class Findings {
  private final List<String> policyExceptions;
  private final Map<String, List<String>> origins;
  private final Map<String, Problem> errors = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  Findings(List<String> policyExceptions, Map<String, List<String>> origins) {
    this.policyExceptions = policyExceptions;
    this.origins = origins;
  }

  ManifestValidator.Report report() {
    return new ManifestValidator.Report(List.copyOf(errors.values()), List.copyOf(warnings));
  }

  private String element(HasMetadata o, String field) {
    String key = Fragments.key(o);
    List<String> from = origins.get(key);
    return key + (field == null || field.isEmpty() ? "" : " " + field)
        + (from == null || from.isEmpty() ? "" : " (from " + String.join(", ", from) + ")");
  }

  void error(HasMetadata o, String field, String message, String fix) {
    Problem p = new Problem(element(o, field), message, fix);
    errors.putIfAbsent(p.toString(), p);
  }

  /** A policy rule's violation: an error, or a warning when {@code <kubernetes><policyExceptions>} waives it. */
  void policy(String rule, HasMetadata o, String field, String message, String fix) {
    if (policyExceptions.contains(rule)) {
      warnings.add(element(o, field) + ": " + message + " (policy rule '" + rule
          + "' waived by <kubernetes><policyExceptions>)");
      return;
    }
    error(o, field, message + " [policy " + rule + "]", fix + " (To accept the risk, add <exception>" + rule
        + "</exception> to <kubernetes><policyExceptions>.)");
  }

  void warn(HasMetadata o, String field, String message) {
    warnings.add(element(o, field) + ": " + message);
  }

  static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
