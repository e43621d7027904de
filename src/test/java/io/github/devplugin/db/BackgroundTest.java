package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.UserError;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Background}: a task on its own daemon thread, its result or its exception as if run by the caller. */
class BackgroundTest {
  @Test
  void runsTheTaskOnANamedDaemonThreadWithTheCallersContextLoaderWhileTheCallerGoesOn() throws Exception {
    CountDownLatch callerWentOn = new CountDownLatch(1);
    ClassLoader context = new java.net.URLClassLoader(new java.net.URL[0], getClass().getClassLoader());
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    Background<Thread> task;
    Thread.currentThread().setContextClassLoader(context);
    try {
      task = Background.start("devplugin-test-task", () -> {
        try {
          // finishes only once the caller has gone on: started and not run inline
          assertThat(callerWentOn.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return Thread.currentThread();
      });
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
    callerWentOn.countDown();
    Thread ran = task.get();
    assertThat(ran).isNotSameAs(Thread.currentThread());
    assertThat(ran.getName()).isEqualTo("devplugin-test-task");
    assertThat(ran.isDaemon()).isTrue();
    assertThat(ran.getContextClassLoader()).isSameAs(context);
  }

  @Test
  void throwsWhatTheTaskThrewAsItWasThrown() {
    UserError thrown = new UserError("Cannot connect. Fix: set <database><url>.");
    Background<String> failing = Background.start("devplugin-test-failing", () -> {
      throw thrown;
    });
    assertThatThrownBy(failing::get).isSameAs(thrown);
    AssertionError error = new AssertionError("an error");
    Background<String> erring = Background.start("devplugin-test-error", () -> {
      throw error;
    });
    assertThatThrownBy(erring::get).isSameAs(error);
  }

  @Test
  void anAbandonedResultIsReleasedWhenItArrivesAndAFailureIsDropped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Background<String> slow = Background.start("devplugin-test-slow", () -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return "connection";
    });
    AtomicReference<String> released = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    slow.abandon(r -> {
      released.set(r);
      done.countDown();
    });
    assertThat(released.get()).as("not released before the task ends").isNull();
    release.countDown();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(released.get()).isEqualTo("connection");

    CountDownLatch failed = new CountDownLatch(1);
    Background<String> failing = Background.start("devplugin-test-failing", () -> {
      failed.countDown();
      throw new IllegalStateException("no server");
    });
    failing.abandon(r -> released.set("released a failure"));
    assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(100);
    assertThat(released.get()).isEqualTo("connection");
  }
}
