package io.github.devplugin.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * helm-java is not a dependency of the published plugin: {@link HelmRunner.EngineLoader} puts its jars next to a
 * plugin class loader that does not see it, as in Maven's plugin realm. (The real Helm through it runs in the
 * helm-example IT; here the engine is loaded, not called, so that this JVM's helm-java native library stays with the
 * class path's loader that HelmGoalTest uses.)
 */
class HelmRunnerTest {
  private static boolean helmJava(String name) {
    return name.startsWith("com.marcnuri.") || name.startsWith("com.sun.jna.") || name.startsWith("com/marcnuri/")
        || name.startsWith("com/sun/jna/") || name.startsWith("META-INF/services/com.marcnuri");
  }

  /** The test class path without helm-java: what the plugin's realm sees. */
  private static final ClassLoader REALM = new ClassLoader(HelmRunnerTest.class.getClassLoader()) {
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (helmJava(name)) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
      return helmJava(name) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return helmJava(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }
  };

  /** helm-java's jars on the test class path: helm-java, lib-api, the platform's library, JNA. */
  private static List<Path> helmJavaJars() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("/com/marcnuri/helm-java/") || e.contains("/net/java/dev/jna/"))
        .map(Path::of).toList();
  }

  @Test
  void theEngineIsDefinedNextToHelmJavasJarsOverAPluginLoaderThatLacksThem() throws Exception {
    assertThat(Class.forName("io.github.devplugin.helm.engine.HelmJava", false, REALM)).isNotNull();
    assertThatThrownBy(() -> Class.forName("com.marcnuri.helm.Helm", false, REALM))
        .isInstanceOf(ClassNotFoundException.class);
    List<Path> jars = helmJavaJars();
    assertThat(jars).hasSizeGreaterThanOrEqualTo(3);

    try (HelmRunner.EngineLoader loader = new HelmRunner.EngineLoader(jars, REALM)) {
      HelmEngine engine = HelmRunner.instantiate(loader);
      // the engine class comes from the plugin's class files, defined by the loader that sees helm-java
      assertThat(engine.getClass().getName()).isEqualTo(HelmRunner.ENGINE_CLASS);
      assertThat(engine.getClass().getClassLoader()).isSameAs(loader);
      assertThat(Class.forName("com.marcnuri.helm.Helm", false, loader).getClassLoader()).isSameAs(loader);
      // ... and everything else from the plugin's loader: the interface the goal calls it through is the goal's own
      assertThat(Class.forName(HelmEngine.class.getName(), false, loader)).isSameAs(HelmEngine.class);
      assertThat(Class.forName("io.github.devplugin.core.EnvironmentError", false, loader).getClassLoader())
          .isSameAs(HelmRunnerTest.class.getClassLoader());
    }
  }

  @Test
  void anEngineClassThePluginJarLacksIsAnErrorThatNamesTheFix() throws Exception {
    ClassLoader empty = new ClassLoader(null) {};
    try (HelmRunner.EngineLoader loader = new HelmRunner.EngineLoader(List.of(), empty)) {
      assertThatThrownBy(() -> HelmRunner.instantiate(loader))
          .isInstanceOf(io.github.devplugin.core.EnvironmentError.class)
          .hasMessageContaining("Cannot load Helm (helm-java)")
          .hasMessageContaining("-Ddevplugin.helm.skip=true");
    }
  }
}
