package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.testing.RecordingLog;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link FlywayDataSource}: Flyway's first connection opened ahead on a thread of its own and handed over on
 * Flyway's first request; every other request opens a connection then; one never taken is closed.
 */
class FlywayDataSourceTest {
  /** Connections that know their number, whether they are closed, and which thread opened them. */
  private static final class Source implements DataSource {
    final AtomicInteger opened = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<Connection> closed = new CopyOnWriteArrayList<>();
    final List<Connection> made = new CopyOnWriteArrayList<>();
    volatile CountDownLatch gate;
    volatile SQLException failNext;

    @Override
    public Connection getConnection() throws SQLException {
      CountDownLatch g = gate;
      if (g != null) {
        try {
          g.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new SQLException(e);
        }
      }
      SQLException fail = failNext;
      if (fail != null) {
        failNext = null;
        throw fail;
      }
      int n = opened.incrementAndGet();
      threads.add(Thread.currentThread().getName());
      boolean[] isClosed = {false};
      Connection[] self = new Connection[1];
      self[0] = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> switch (method.getName()) {
            case "close" -> {
              isClosed[0] = true;
              closed.add(self[0]);
              yield null;
            }
            case "isClosed" -> isClosed[0];
            case "toString" -> "connection " + n;
            case "hashCode" -> n;
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException(method.getName());
          });
      made.add(self[0]);
      return self[0];
    }

    @Override
    public Connection getConnection(String username, String password) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  @Test
  void theFirstConnectionIsOpenedAheadOnItsOwnThreadAndHandedToTheFirstRequestTheOthersAreOpenedWhenAsked()
      throws Exception {
    Source source = new Source();
    RecordingLog log = new RecordingLog();
    FlywayDataSource ds = new FlywayDataSource(source, log);
    ds.openAhead();
    ds.openAhead();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // made is filled last (after opened and threads), so all three are read complete
    while (source.made.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    // opened before anybody asked, once, and not on this thread
    assertThat(source.opened.get()).isEqualTo(1);
    assertThat(source.threads).containsExactly("devplugin-migrate-flyway-connect");

    Connection first = ds.getConnection();
    assertThat(first).hasToString("connection 1");
    assertThat(source.opened.get()).isEqualTo(1);
    assertThat(log.text()).contains("Flyway's first connection was opened while its configuration loaded.");
    Connection second = ds.getConnection();
    assertThat(second).hasToString("connection 2");
    assertThat(source.threads.get(1)).isEqualTo(Thread.currentThread().getName());

    // taken connections are Flyway's to close
    ds.close();
    assertThat(source.closed).isEmpty();
  }

  @Test
  void withoutOpeningAheadEveryConnectionIsOpenedWhenAsked() throws Exception {
    Source source = new Source();
    RecordingLog log = new RecordingLog();
    FlywayDataSource ds = new FlywayDataSource(source, log);
    assertThat(ds.getConnection()).hasToString("connection 1");
    assertThat(source.threads).containsExactly(Thread.currentThread().getName());
    assertThat(log.text()).doesNotContain("opened while");
  }

  @Test
  void aConnectionOpenedAheadThatFlywayNeverTakesIsClosedEvenWhenItOpensAfterTheClose() throws Exception {
    Source source = new Source();
    source.gate = new CountDownLatch(1);
    FlywayDataSource ds = new FlywayDataSource(source, new RecordingLog());
    ds.openAhead();
    ds.close();
    // opening finishes only now, after the close: the connection is closed as it arrives
    source.gate.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (source.closed.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(source.opened.get()).isEqualTo(1);
    assertThat(source.closed).hasSize(1);
    // and nothing is opened ahead after the close
    ds.openAhead();
    Thread.sleep(50);
    assertThat(source.opened.get()).isEqualTo(1);
  }

  @Test
  void whenOpeningAheadFailedTheFirstRequestOpensAgainAndItsFailureIsTheOneFlywaySees() throws Exception {
    Source source = new Source();
    source.failNext = new SQLException("first attempt refused", "08001");
    FlywayDataSource ds = new FlywayDataSource(source, new RecordingLog());
    ds.openAhead();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (source.failNext != null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(ds.getConnection()).hasToString("connection 1");
    assertThat(source.threads).containsExactly(Thread.currentThread().getName());

    Source refusing = new Source();
    FlywayDataSource ds2 = new FlywayDataSource(refusing, new RecordingLog());
    refusing.failNext = new SQLException("refused", "28P01");
    ds2.openAhead();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (refusing.failNext != null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    refusing.failNext = new SQLException("refused again", "28P01");
    assertThatThrownBy(ds2::getConnection).isInstanceOf(SQLException.class).hasMessage("refused again");
  }

  @Test
  void aConnectionOpenedAheadAndClosedMeanwhileIsReplacedByANewOne() throws Exception {
    Source source = new Source();
    FlywayDataSource ds = new FlywayDataSource(source, new RecordingLog());
    ds.openAhead();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (source.made.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    // the session ended before Flyway asked: Flyway gets a new one
    source.made.get(0).close();
    assertThat(ds.getConnection()).hasToString("connection 2");
  }
}
