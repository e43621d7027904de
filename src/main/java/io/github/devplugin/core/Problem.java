package io.github.devplugin.core;

import java.util.List;

/**
 * One problem the user must fix: the element it is about (POM path, {@code -D} property, file or manifest field),
 * what is wrong, and the fix. Problems are collected and reported together ({@link ProblemsException}).
 */
public record Problem(String element, String message, String fix) {
  @Override
  public String toString() {
    return element + ": " + message + (fix == null || fix.isEmpty() ? "" : " Fix: " + fix);
  }

  /**
   * The one layout of a problem list: {@code heading (N problems):}, one {@code  - } line per problem, then the
   * footer when there is one.
   */
  public static String format(String heading, List<Problem> problems, String footer) {
    StringBuilder sb = new StringBuilder(heading).append(" (").append(problems.size())
        .append(problems.size() == 1 ? " problem):" : " problems):");
    for (Problem p : problems) {
      sb.append("\n  - ").append(p);
    }
    if (footer != null && !footer.isEmpty()) {
      sb.append('\n').append(footer);
    }
    return sb.toString();
  }
}
