package io.github.devplugin.k8s;

import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import java.util.List;

/** The manifests of an environment are invalid: every problem, each naming the object, the field and the fix. */
public final class ManifestException extends ProblemsException {
  private static final long serialVersionUID = 1L;

  public ManifestException(String environment, List<Problem> problems) {
    super("Invalid Kubernetes manifests for environment '" + environment + "'", problems, "Nothing was written.");
  }
}
