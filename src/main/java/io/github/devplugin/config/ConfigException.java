package io.github.devplugin.config;

import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import java.util.List;

/** All problems found in a configuration, reported together so the user can fix them in one pass. */
public final class ConfigException extends ProblemsException {
  private static final long serialVersionUID = 1L;

  public ConfigException(List<Problem> problems) {
    super("Invalid devplugin configuration", problems, null);
  }
}
