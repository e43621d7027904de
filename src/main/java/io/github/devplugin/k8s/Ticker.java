package io.github.devplugin.k8s;

/**
 * Time as {@code apply} sees it while waiting for a Job or a rollout: the system clock in the plugin, a clock that a
 * test advances (and that can play a controller's part on every pause) in tests.
 */
public interface Ticker {
  /** Monotonic time in milliseconds. */
  long millis();

  /** Pauses between two polls. */
  void sleep(long millis) throws InterruptedException;

  Ticker SYSTEM = new Ticker() {
    @Override
    public long millis() {
      return System.nanoTime() / 1_000_000L;
    }

    @Override
    public void sleep(long millis) throws InterruptedException {
      Thread.sleep(millis);
    }
  };
}
