package io.github.devplugin.helm;

import io.github.devplugin.core.EnvironmentError;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The real Helm for {@link HelmGoal}: {@code helm lint}, {@code helm template} and {@code helm package} through
 * {@link HelmEngine}, implemented on helm-java by {@code helm.engine.HelmJava}.
 *
 * <p>helm-java (its jars, JNA and the platform's native Helm library, ~20 MB) is not a dependency of the plugin: Maven
 * would resolve those five artifacts into the plugin's realm before every devplugin goal, and only this one uses them.
 * The goal's mojo gives a {@link #library} that resolves them when Helm is first needed; the engine class is then
 * defined by a class loader over those jars whose parent is the plugin's ({@link EngineLoader}). When helm-java is
 * visible to the plugin's own class loader (the unit tests, or a user who names it as a plugin dependency), that
 * loader is used as it is. One engine per JVM: helm-java loads its native library once per class loader.
 */
public final class HelmRunner {
  private HelmRunner() {}

  /** What {@code helm lint --strict} found. */
  public record Lint(boolean failed, List<String> messages) {}

  /** A failure Helm reported (a template error, values failing the schema). */
  public static final class HelmFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HelmFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final String ENGINE_PACKAGE = "io.github.devplugin.helm.engine.";
  static final String ENGINE_CLASS = ENGINE_PACKAGE + "HelmJava";
  private static final String HELM_JAVA_CLASS = "com.marcnuri.helm.Helm";

  private static final Object LOCK = new Object();
  private static Supplier<List<Path>> library;
  private static HelmEngine engine;

  /**
   * Where helm-java's jars come from when the plugin's class loader does not see it: called once, when Helm is first
   * needed (an up-to-date chart resolves nothing).
   */
  public static void library(Supplier<List<Path>> jars) {
    synchronized (LOCK) {
      library = jars;
    }
  }

  static Lint lint(Path chart) {
    return engine().lint(chart);
  }

  /** {@code helm template <name> <chart> [-f values]}; {@code chart} is a directory or a packaged {@code .tgz}. */
  static String template(Path chart, String releaseName, Path valuesFile) {
    return engine().template(chart, releaseName, valuesFile);
  }

  /** {@code helm package <chart> -d <destination>}. */
  static void packageChart(Path chart, Path destination) {
    engine().packageChart(chart, destination);
  }

  private static HelmEngine engine() {
    synchronized (LOCK) {
      if (engine == null) {
        ClassLoader own = HelmRunner.class.getClassLoader();
        if (visible(HELM_JAVA_CLASS, own)) {
          engine = instantiate(own);
        } else if (library == null) {
          throw new EnvironmentError("helm-java is not on devplugin's class path and nothing resolves it: run"
              + " devplugin:helm through its Maven goal, or skip the chart with -Ddevplugin.helm.skip=true.");
        } else {
          engine = instantiate(new EngineLoader(library.get(), own));
        }
      }
      return engine;
    }
  }

  private static boolean visible(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static HelmEngine instantiate(ClassLoader loader) {
    try {
      return (HelmEngine) Class.forName(ENGINE_CLASS, true, loader).getConstructor().newInstance();
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
        | InvocationTargetException | LinkageError e) {
      throw new EnvironmentError("Cannot load Helm (helm-java) into devplugin: " + e + ". Fix: delete helm-java's"
          + " artifacts (com/marcnuri/helm-java) from the local repository so that Maven resolves them again, or"
          + " skip the chart with -Ddevplugin.helm.skip=true.", e);
    }
  }

  /**
   * helm-java's jars over the plugin's class loader. Everything is looked up in the parent first, except the classes
   * of {@value #ENGINE_PACKAGE}, which this loader defines itself from the parent's class files: they link against
   * helm-java, which only this loader sees.
   */
  static final class EngineLoader extends URLClassLoader {
    static {
      ClassLoader.registerAsParallelCapable();
    }

    EngineLoader(List<Path> jars, ClassLoader parent) {
      super(urls(jars), parent);
    }

    private static URL[] urls(List<Path> jars) {
      URL[] urls = new URL[jars.size()];
      for (int i = 0; i < urls.length; i++) {
        try {
          urls[i] = jars.get(i).toUri().toURL();
        } catch (MalformedURLException e) {
          throw new IllegalArgumentException(jars.get(i).toString(), e);
        }
      }
      return urls;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(ENGINE_PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length, HelmRunner.class.getProtectionDomain());
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
