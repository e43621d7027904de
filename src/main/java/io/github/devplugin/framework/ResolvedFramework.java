package io.github.devplugin.framework;

/**
 * The service's framework as the goals use it: what was detected or chosen, why, and the effective profile (the
 * user's {@code <service><variables>} applied).
 *
 * @param detection the framework, its version when known, and why
 * @param setting the value of {@code <service><framework>}: {@code auto} or a framework's label
 * @param profile probes, variable names, extra environment, excluded artifacts and launch
 */
public record ResolvedFramework(Detection detection, String setting, FrameworkProfile profile) {

  public Framework framework() {
    return detection.framework();
  }

  /** The framework's version, or null when the build does not name it. */
  public String version() {
    return detection.version();
  }

  /** Why this framework: the evidence of detection, or where it was set. */
  public String why() {
    return detection.why();
  }

  /** The one-line summary {@code devplugin:config} prints: {@code spring-boot 3.5.7 (detected: dependency ...)}. */
  public String summary() {
    return detection.framework().label() + (detection.version() == null ? "" : " " + detection.version()) + " ("
        + (Framework.AUTO.equals(setting) ? "detected: " : "") + detection.why() + ")";
  }
}
