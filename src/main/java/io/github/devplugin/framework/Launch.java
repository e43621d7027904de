package io.github.devplugin.framework;

import java.util.List;

/**
 * How the service starts: from its classes and dependencies with a main class, or (Quarkus) from the fast-jar
 * directory the Quarkus build writes.
 *
 * @param kind how the image runs the service
 * @param manifestAttribute the attribute of the built jar's manifest that names the application's main class
 *     ({@code Start-Class} for a repackaged Spring Boot jar, else {@code Main-Class})
 * @param configuredMainClass the main class the framework's build plugin configures (spring-boot-maven-plugin
 *     {@code mainClass}, Micronaut's {@code exec.mainClass}), or null
 * @param fixedMainClass the main class the framework always uses (Quarkus' fast-jar entry point), or null when it is
 *     the application's own: found from {@code <service><mainClass>}, then {@code configuredMainClass}, then
 *     {@code manifestAttribute}, then a scan of the classes
 * @param launcherClasses classes that must never be used as the main class because they need the packaged layout
 *     (Spring Boot's {@code JarLauncher}), not the image's class path
 * @param appDirectory for {@link Kind#FAST_JAR}: the directory under the build directory ({@code quarkus-app})
 * @param runnerJar for {@link Kind#FAST_JAR}: the jar in {@code appDirectory} to run ({@code quarkus-run.jar})
 */
public record Launch(Kind kind, String manifestAttribute, String configuredMainClass, String fixedMainClass,
    List<String> launcherClasses, String appDirectory, String runnerJar) {

  /** How the image runs the service. */
  public enum Kind {
    /** The project's classes and runtime dependencies on the class path, with a main class. */
    CLASSPATH,
    /** Quarkus' fast-jar layout: {@code target/quarkus-app/} copied as built, run with {@code quarkus-run.jar}. */
    FAST_JAR
  }

  public Launch {
    launcherClasses = List.copyOf(launcherClasses);
  }

  static Launch classpath(String manifestAttribute, String configuredMainClass, List<String> launcherClasses) {
    return new Launch(Kind.CLASSPATH, manifestAttribute, configuredMainClass, null, launcherClasses, null, null);
  }

  @Override
  public String toString() {
    if (kind == Kind.FAST_JAR) {
      return "fast-jar " + appDirectory + "/" + runnerJar + " (main " + fixedMainClass + ")";
    }
    return "class path; main class from <service><mainClass>"
        + (configuredMainClass == null ? "" : ", the build's configured " + configuredMainClass)
        + ", the jar's " + manifestAttribute + ", or a scan of the classes";
  }
}
