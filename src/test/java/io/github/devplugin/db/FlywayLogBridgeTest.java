package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.BuildLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogFactory;
import org.junit.jupiter.api.Test;

class FlywayLogBridgeTest {
  /** A log that records its lines. */
  private static final class Recording implements BuildLog {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
      lines.add("info " + message);
    }

    @Override
    public void warn(String message) {
      lines.add("warn " + message);
    }

    @Override
    public void error(String message) {
      lines.add("error " + message);
    }

    @Override
    public void debug(String message) {
      lines.add("debug " + message);
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }
  }

  @Test
  void twoExecutionsOnTwoThreadsEachGetOnlyTheirOwnFlywayLines() throws Exception {
    Recording alpha = new Recording();
    Recording beta = new Recording();
    // both install their log before either logs: with one log for the class loader, the last install would win
    CyclicBarrier installed = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> a = pool.submit(() -> run(alpha, "alpha", installed));
      Future<?> b = pool.submit(() -> run(beta, "beta", installed));
      a.get(30, TimeUnit.SECONDS);
      b.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(alpha.lines).containsExactly("info Migrating schema \"public\" to version \"1 - alpha\"",
        "warn alpha warning", "debug [flyway] alpha detail");
    assertThat(beta.lines).containsExactly("info Migrating schema \"public\" to version \"1 - beta\"",
        "warn beta warning", "debug [flyway] beta detail");
  }

  @Test
  void aThreadThatInstalledNoLogReachesNoExecutionsLog() throws Exception {
    Recording alpha = new Recording();
    FlywayLogBridge.use(alpha);
    Thread other = new Thread(() -> LogFactory.getLog(FlywayLogBridgeTest.class).warn("from elsewhere"));
    other.start();
    other.join(10_000);
    LogFactory.getLog(FlywayLogBridgeTest.class).warn("own");
    assertThat(alpha.lines).containsExactly("warn own");
  }

  @Test
  void flywaysOwnConfigurationKeepsTheLinesOnTheBridge() {
    Recording alpha = new Recording();
    FlywayLogBridge.use(alpha);
    // what Flyway.load() does with the configuration every goal builds (Flyways.configure names the bridge)
    LogFactory.setConfiguration(Flyway.configure().loggers(FlywayLogBridge.LOGGER));
    LogFactory.getLog(FlywayLogBridgeTest.class).warn("after load");
    assertThat(alpha.lines).containsExactly("warn after load");
  }

  private static Void run(Recording log, String name, CyclicBarrier installed) throws Exception {
    FlywayLogBridge.use(log);
    installed.await(10, TimeUnit.SECONDS);
    Log flyway = LogFactory.getLog(Flyways.class);
    flyway.info("Migrating schema \"public\" to version \"1 - " + name + "\"");
    flyway.warn(name + " warning");
    flyway.info(name + " detail");
    return null;
  }
}
