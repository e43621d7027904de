package io.github.devplugin.core;

import java.util.List;

/** Every problem found in one input (a configuration, an environment's manifests, a compose file), reported together. */
public class ProblemsException extends UserError {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public ProblemsException(String heading, List<Problem> problems, String footer) {
    super(Problem.format(heading, problems, footer));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
