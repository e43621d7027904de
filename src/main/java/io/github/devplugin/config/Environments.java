package io.github.devplugin.config;

/** What an environment's name decides on its own, before its configuration exists. */
public final class Environments {
  /** The production environment, which applies the strict defaults (e.g. a backup before migrating). */
  public static final String PRODUCTION = "prod";

  /** The environment used when none is chosen, and the base of the compose stack. */
  public static final String DEFAULT = "dev";

  /**
   * The standard environments: every Dockerfile has a target for each, declared in the POM or not, and compose
   * builds an environment of one of these names from its own target.
   */
  public static final java.util.List<String> STANDARD = java.util.List.of(DEFAULT, "staging", PRODUCTION);

  private Environments() {}

  /** True for the production environment {@value #PRODUCTION}. */
  public static boolean isProduction(String environment) {
    return PRODUCTION.equals(environment);
  }
}
