package io.github.devplugin.k8s;

/** A clock that only moves when {@code apply} pauses, and that can play a controller's part on every pause. */
final class FakeTicker implements Ticker {
  long now;
  int sleeps;
  Runnable onSleep = () -> {};

  @Override
  public long millis() {
    return now;
  }

  @Override
  public void sleep(long millis) {
    now += millis;
    sleeps++;
    onSleep.run();
  }
}
