package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.MainClassFinder;
import io.github.devplugin.config.ServiceConfig;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.framework.Launch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a module of a multi-module build is a service or a library. A service has a main class from any of the
 * sources {@link ImagePlanner} reads ({@code <service><mainClass>}, the framework's configured main class, the jar
 * manifest, the one class with a main method) or a fixed launch (Quarkus' fast-jar); a library has none of them. A
 * service whose main class turns out to be missing still fails in {@link ImagePlanner}: only a module that names no
 * main class anywhere is a library.
 */
public final class ServiceModule {
  private ServiceModule() {}

  /**
   * Why the module is no service, for the log line of the goal that skips it; empty for a service.
   *
   * @param classesDirectory the module's compiled classes
   * @param manifest the main attributes of its jar manifest (see {@link ImageInputs#manifest()})
   */
  public static Optional<String> libraryReason(ServiceConfig service, Path classesDirectory,
      Map<String, String> manifest) {
    Launch launch = service.framework().profile().launch();
    if (launch.kind() == Launch.Kind.FAST_JAR || service.mainClass() != null
        || launch.configuredMainClass() != null || ImagePlanner.manifestAttribute(launch, manifest) != null) {
      return Optional.empty();
    }
    if (Files.isDirectory(classesDirectory) && ImagePlanner.findMainClasses(classesDirectory, BuildLog.NONE)
        .getType() != MainClassFinder.Result.Type.MAIN_CLASS_NOT_FOUND) {
      return Optional.empty();
    }
    return Optional.of("is a library, not a service: <service><mainClass> is not set, its jar manifest names no"
        + " main class and no class in " + classesDirectory.getFileName() + " has a main method (set"
        + " <service><mainClass> to build it as a service)");
  }
}
