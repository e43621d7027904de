package io.github.devplugin.config;

import java.util.List;

/**
 * The configuration of one environment after overlays and overrides: what every goal reads. Immutable; carries the
 * trace of where each value came from (for {@code devplugin:config}). Secret values are not part of it.
 *
 * @param environment the selected environment's name
 * @param environments every known environment, sorted
 * @param trace every effective value with its origin, in reading order
 */
public record EffectiveConfig(String environment, List<String> environments, ProjectInfo project,
    ServiceConfig service, ImageSettings image, DatabaseSettings database, CacheSettings cache,
    KubernetesSettings kubernetes, ComposeSettings compose, List<SecretSpec> secrets,
    List<Section.Trace> trace) {

  public EffectiveConfig {
    environments = List.copyOf(environments);
    secrets = List.copyOf(secrets);
    trace = List.copyOf(trace);
  }

  /**
   * Where the value of {@code path} (e.g. {@code image.to}) was set, for messages: the recorded origin when it was set
   * on the command line or by a goal parameter ({@code -Ddevplugin.image.to}), the element when it was set in the POM
   * ({@code <environments><prod><image><to>}), or the element and its property when it has its default
   * ({@code <image><to> (-Ddevplugin.image.to)}).
   */
  public String where(String path) {
    for (int i = trace.size() - 1; i >= 0; i--) {
      Section.Trace t = trace.get(i);
      if (t.path().equals(path) && !Section.DEFAULT.equals(t.origin())) {
        return t.origin().startsWith("-D") || t.origin().startsWith("plugin parameter") ? t.origin() : t.location();
      }
    }
    return OverrideProperties.setting(path);
  }

  /** True for the {@code prod} environment, which applies the strict defaults. */
  public boolean isProduction() {
    return Environments.isProduction(environment);
  }
}
