package io.github.devplugin.framework;

import java.util.List;
import java.util.function.Predicate;

/**
 * What the project's build says its framework is, and why.
 *
 * @param version the framework's version when the build names it, else null
 * @param why the evidence, e.g. {@code dependency org.springframework.boot:spring-boot-starter-web:3.5.7}
 */
public record Detection(Framework framework, String version, String why) {

  /**
   * Detects the framework from the dependencies, build plugins and parent. Quarkus and Micronaut are checked before
   * Spring Boot (their Spring compatibility modules carry Spring artifacts); the first dependency found is the
   * evidence, else the build plugin, else the parent. The version is the parent's (a framework parent names the
   * platform version), else a dependency's, else the plugin's. Nothing found means plain Java.
   */
  public static Detection detect(List<Dependency> dependencies, List<BuildPlugin> plugins, Coordinates parent) {
    for (Rule rule : RULES) {
      Detection d = rule.match(dependencies, plugins, parent);
      if (d != null) {
        return d;
      }
    }
    return new Detection(Framework.PLAIN, null,
        "no Spring Boot, Quarkus or Micronaut dependency, build plugin or parent");
  }

  /** A framework chosen in the configuration instead of detected. */
  public static Detection chosen(Framework framework, String version, String where) {
    return new Detection(framework, version, "set by " + where);
  }

  /** The major version, or -1 when unknown. */
  public int majorVersion() {
    if (version == null) {
      return -1;
    }
    int end = 0;
    while (end < version.length() && Character.isDigit(version.charAt(end))) {
      end++;
    }
    return end == 0 ? -1 : Integer.parseInt(version.substring(0, end));
  }

  private record Rule(Framework framework, Predicate<Dependency> dependency, Predicate<Dependency> versionSource,
      Predicate<BuildPlugin> plugin, Predicate<Coordinates> parent) {

    Detection match(List<Dependency> dependencies, List<BuildPlugin> plugins, Coordinates p) {
      Dependency evidence = null;
      boolean parentMatches = p != null && parent.test(p);
      String version = parentMatches ? p.version() : null;
      for (Dependency d : dependencies) {
        if (dependency.test(d)) {
          if (evidence == null) {
            evidence = d;
          }
          if (version == null && versionSource.test(d) && d.version() != null) {
            version = d.version();
          }
        }
      }
      BuildPlugin plugin = plugins.stream().filter(this.plugin).findFirst().orElse(null);
      if (version == null && plugin != null) {
        version = plugin.version();
      }
      if (evidence != null) {
        return new Detection(framework, version, "dependency " + evidence);
      }
      if (plugin != null) {
        return new Detection(framework, version, "build plugin " + plugin);
      }
      if (parentMatches) {
        return new Detection(framework, version, "parent " + p);
      }
      return null;
    }
  }

  private static final List<Rule> RULES = List.of(
      new Rule(Framework.QUARKUS,
          d -> d.groupId().equals("io.quarkus") && d.artifactId().startsWith("quarkus-"),
          d -> true,
          p -> (p.groupId().equals("io.quarkus") || p.groupId().equals("io.quarkus.platform"))
              && p.artifactId().equals("quarkus-maven-plugin"),
          c -> c.groupId().startsWith("io.quarkus")),
      new Rule(Framework.MICRONAUT,
          d -> d.groupId().equals("io.micronaut") || d.groupId().startsWith("io.micronaut."),
          d -> d.groupId().equals("io.micronaut"),
          p -> p.groupId().equals("io.micronaut.maven") && p.artifactId().equals("micronaut-maven-plugin"),
          c -> c.groupId().equals("io.micronaut.platform") && c.artifactId().equals("micronaut-parent")),
      new Rule(Framework.SPRING_BOOT,
          d -> d.groupId().equals("org.springframework.boot") && d.artifactId().startsWith("spring-boot"),
          d -> true,
          p -> p.groupId().equals("org.springframework.boot") && p.artifactId().equals("spring-boot-maven-plugin"),
          c -> c.groupId().equals("org.springframework.boot")
              && (c.artifactId().equals("spring-boot-starter-parent")
                  || c.artifactId().equals("spring-boot-dependencies"))));
}
