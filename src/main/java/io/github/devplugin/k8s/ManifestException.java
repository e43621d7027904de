package io.github.devplugin.k8s;

import io.github.devplugin.config.Problem;
import io.github.devplugin.core.UserError;
import java.util.List;

/** The manifests of an environment are invalid: every problem, each naming the object, the field and the fix. */
public final class ManifestException extends UserError {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public ManifestException(String environment, List<Problem> problems) {
    super(format(environment, problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String format(String environment, List<Problem> problems) {
    StringBuilder sb = new StringBuilder("Invalid Kubernetes manifests for environment '").append(environment)
        .append("' (").append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    for (Problem p : problems) {
      sb.append("\n  - ").append(p);
    }
    sb.append("\nNothing was written.");
    return sb.toString();
  }
}
