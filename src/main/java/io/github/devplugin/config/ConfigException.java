package io.github.devplugin.config;

import io.github.devplugin.core.UserError;
import java.util.List;

/** All problems found in a configuration, reported together so the user can fix them in one pass. */
public final class ConfigException extends UserError {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public ConfigException(List<Problem> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String format(List<Problem> problems) {
    StringBuilder sb = new StringBuilder("Invalid devplugin configuration (")
        .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    for (Problem p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
