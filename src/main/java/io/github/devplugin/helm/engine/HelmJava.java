package io.github.devplugin.helm.engine;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.helm.HelmEngine;
import io.github.devplugin.helm.HelmRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The real Helm, in process, through helm-java: the only class that touches {@code com.marcnuri.helm}. It is loaded by
 * the class loader that holds helm-java ({@link HelmRunner}), and its native library (extracted to a temporary
 * directory) is loaded once per class loader. Calls are serialised: one native Helm per JVM, shared by parallel
 * modules. The native library is looked up through this class's loader (helm-java's service lookup uses the thread's
 * context class loader and would otherwise fall back to downloading it).
 */
public final class HelmJava implements HelmEngine {
  private static final Object LOCK = new Object();

  @Override
  public HelmRunner.Lint lint(Path chart) {
    LintResult r = call(() -> new Helm(chart).lint().strict().call());
    return new HelmRunner.Lint(r.isFailed(), List.copyOf(r.getMessages()));
  }

  @Override
  public String template(Path chart, String releaseName, Path valuesFile) {
    return call(() -> {
      TemplateCommand t = Helm.template(chart.toString()).withName(releaseName);
      if (valuesFile != null) {
        t = t.withValuesFile(valuesFile);
      }
      return t.call();
    });
  }

  @Override
  public void packageChart(Path chart, Path destination) {
    call(() -> new Helm(chart).packageIt().withDestination(destination).call());
  }

  private static <T> T call(Callable<T> c) {
    synchronized (LOCK) {
      Thread t = Thread.currentThread();
      ClassLoader previous = t.getContextClassLoader();
      t.setContextClassLoader(HelmJava.class.getClassLoader());
      try {
        return c.call();
      } catch (IllegalStateException e) {
        if (e.getMessage() != null && (e.getMessage().startsWith("No NativeLibrary")
            || e.getMessage().startsWith("Unable to load native library"))) {
          throw nativeMissing(e);
        }
        throw new HelmRunner.HelmFailure(e.getMessage(), e);
      } catch (LinkageError e) {
        throw linkageFailure(e);
      } catch (Exception e) {
        throw new HelmRunner.HelmFailure(e.getMessage() == null ? e.toString() : e.getMessage(), e);
      } finally {
        t.setContextClassLoader(previous);
      }
    }
  }

  /**
   * What a {@link LinkageError} out of helm-java means: its native library (through JNA) did not load, or did not
   * initialise (JNA's {@code Native} then fails as "Could not initialize class"); anything else (a class missing, a
   * method of another signature) is helm-java's or JNA's jars not fitting together.
   */
  static EnvironmentError linkageFailure(LinkageError e) {
    if (e instanceof UnsatisfiedLinkError || e instanceof ExceptionInInitializerError
        || (e instanceof NoClassDefFoundError && e.getMessage() != null
            && e.getMessage().startsWith("Could not initialize class"))) {
      return nativeMissing(e);
    }
    return new EnvironmentError("helm-java's classes do not fit together (" + e + "): one of its jars in the local"
        + " repository is damaged, or a plugin dependency brings another version of helm-java or JNA than the one"
        + " devplugin resolves. Fix: remove that plugin dependency, or delete com/marcnuri/helm-java and"
        + " net/java/dev/jna from the local repository (~/.m2/repository) so that Maven resolves them again; or skip"
        + " the chart with -Ddevplugin.helm.skip=true.", e);
  }

  private static EnvironmentError nativeMissing(Throwable e) {
    return new EnvironmentError("Helm (helm-java's native library) cannot be loaded on " + System.getProperty("os.name")
        + " " + System.getProperty("os.arch") + ": " + e.getMessage() + ". helm-java ships Helm for Linux, macOS and"
        + " Windows on amd64 and arm64, extracted to java.io.tmpdir (" + System.getProperty("java.io.tmpdir")
        + ", which must be writable and not mounted noexec). Fix that, or skip the chart with"
        + " -Ddevplugin.helm.skip=true.", e);
  }
}
