package io.github.devplugin.config;

/** What an environment's name decides on its own, before its configuration exists. */
public final class Environments {
  /** The production environment, which applies the strict defaults (e.g. a backup before migrating). */
  public static final String PRODUCTION = "prod";

  private Environments() {}

  /** True for the production environment {@value #PRODUCTION}. */
  public static boolean isProduction(String environment) {
    return PRODUCTION.equals(environment);
  }
}
