package io.github.devplugin.sbom;

/**
 * The test environment's registry and the base image pushed to it ({@code DEVPLUGIN_TEST_REGISTRY} and
 * {@code DEVPLUGIN_TEST_BASE_IMAGE}, exported by {@code scripts/test-env.sh env}), split as the registry client takes
 * them.
 *
 * @param address {@code host:port}
 * @param port the port alone (to reach the registry by a name only a test proxy resolves)
 * @param repository the base image's repository
 * @param tag the base image's tag
 */
public record TestRegistry(String address, String port, String repository, String tag) {
  /** Read from the environment; fails naming the variables and {@code scripts/test-env.sh} when they are missing. */
  public static TestRegistry fromEnvironment() {
    String registry = System.getenv("DEVPLUGIN_TEST_REGISTRY");
    String base = System.getenv("DEVPLUGIN_TEST_BASE_IMAGE");
    if (registry == null || base == null || !base.startsWith(registry + "/")) {
      throw new IllegalStateException("DEVPLUGIN_TEST_REGISTRY (" + registry + ") and DEVPLUGIN_TEST_BASE_IMAGE ("
          + base + ") do not name the test registry and a base image in it: the test environment is missing. Run"
          + " scripts/test-env.sh up and eval \"$(scripts/test-env.sh env)\" before ./mvnw verify.");
    }
    return new TestRegistry(registry, registry.substring(registry.indexOf(':') + 1),
        base.substring(registry.length() + 1, base.lastIndexOf(':')), base.substring(base.lastIndexOf(':') + 1));
  }
}
