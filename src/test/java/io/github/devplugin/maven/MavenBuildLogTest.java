package io.github.devplugin.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.Masker;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.Log;
import org.junit.jupiter.api.Test;

/** {@link MavenBuildLog}: every line shown is masked; an info line Maven would not show (mvn -q) is dropped. */
class MavenBuildLogTest {
  private static Log mavenLog(boolean infoEnabled, List<String> out) {
    return (Log) Proxy.newProxyInstance(Log.class.getClassLoader(), new Class<?>[] {Log.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "isInfoEnabled" -> infoEnabled;
          case "isDebugEnabled", "isWarnEnabled", "isErrorEnabled" -> true;
          case "info", "warn", "error", "debug" -> {
            out.add(method.getName() + " " + args[0]);
            yield null;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void infoLinesAreMaskedWhenShownAndNeitherMaskedNorPassedOnUnderQuiet() {
    List<String> shown = new ArrayList<>();
    Masker masker = new Masker();
    masker.add("s3cret");
    MavenBuildLog log = new MavenBuildLog(mavenLog(true, shown), masker);
    log.info("password s3cret");
    assertThat(log.isInfoEnabled()).isTrue();
    assertThat(shown).containsExactly("info password ****");

    List<String> quiet = new ArrayList<>();
    MavenBuildLog q = new MavenBuildLog(mavenLog(false, quiet), masker);
    q.info("password s3cret");
    assertThat(q.isInfoEnabled()).isFalse();
    assertThat(quiet).isEmpty();
    q.warn("warned s3cret");
    assertThat(quiet).containsExactly("warn warned ****");
  }
}
