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

  /** True for the {@code prod} environment, which applies the strict defaults. */
  public boolean isProduction() {
    return "prod".equals(environment);
  }
}
