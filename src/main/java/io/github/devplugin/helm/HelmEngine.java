package io.github.devplugin.helm;

import java.nio.file.Path;

/**
 * What {@code devplugin:helm} asks of the real Helm. Implemented by {@code helm.engine.HelmJava} on helm-java, which
 * {@link HelmRunner} loads next to helm-java's jars; public (with {@link HelmRunner.Lint} and
 * {@link HelmRunner.HelmFailure}) because that class is defined by another class loader, so another runtime package.
 */
public interface HelmEngine {
  /** {@code helm lint --strict <chart>}. */
  HelmRunner.Lint lint(Path chart);

  /** {@code helm template <name> <chart> [-f values]}; {@code chart} is a directory or a packaged {@code .tgz}. */
  String template(Path chart, String releaseName, Path valuesFile);

  /** {@code helm package <chart> -d <destination>}. */
  void packageChart(Path chart, Path destination);
}
