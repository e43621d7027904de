package io.github.devplugin.helm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.EnvironmentError;
import org.junit.jupiter.api.Test;

/** What a {@link LinkageError} out of helm-java is reported as: the native library, or jars that do not fit. */
class HelmJavaTest {
  private static final String NATIVE = "Helm (helm-java's native library) cannot be loaded on ";
  private static final String JARS = "helm-java's classes do not fit together (";

  @Test
  void aNativeLibraryThatDoesNotLoadOrInitialiseIsReportedAsTheNativeLibrary() {
    for (LinkageError e : new LinkageError[] {new UnsatisfiedLinkError("libhelm.so: cannot open shared object"),
        new ExceptionInInitializerError("JNA"),
        new NoClassDefFoundError("Could not initialize class com.sun.jna.Native")}) {
      EnvironmentError reported = HelmJava.linkageFailure(e);
      assertThat(reported.getMessage()).as(e.toString()).startsWith(NATIVE)
          .contains("java.io.tmpdir", "-Ddevplugin.helm.skip=true");
      assertThat(reported.getCause()).isSameAs(e);
    }
  }

  @Test
  void aMissingClassOrAMethodOfAnotherSignatureIsReportedAsJarsThatDoNotFit() {
    for (LinkageError e : new LinkageError[] {new NoClassDefFoundError("com/marcnuri/helm/jni/HelmLib"),
        new NoSuchMethodError("'void com.marcnuri.helm.Helm.lint()'"),
        new IncompatibleClassChangeError("Expected interface")}) {
      EnvironmentError reported = HelmJava.linkageFailure(e);
      assertThat(reported.getMessage()).as(e.toString()).startsWith(JARS + e + "): ")
          .doesNotContain(NATIVE)
          .contains("Fix: remove that plugin dependency, or delete com/marcnuri/helm-java and net/java/dev/jna from"
              + " the local repository", "-Ddevplugin.helm.skip=true");
      assertThat(reported.getCause()).isSameAs(e);
    }
  }
}
