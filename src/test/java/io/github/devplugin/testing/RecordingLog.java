package io.github.devplugin.testing;

import io.github.devplugin.core.BuildLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A build log that keeps every line, debug included, prefixed with its level, for assertions. */
public final class RecordingLog implements BuildLog {
  public final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void info(String message) {
    lines.add("INFO " + message);
  }

  @Override
  public void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public void error(String message) {
    lines.add("ERROR " + message);
  }

  @Override
  public void debug(String message) {
    lines.add("DEBUG " + message);
  }

  @Override
  public boolean isDebugEnabled() {
    return true;
  }

  public String text() {
    return String.join("\n", lines);
  }

  public long count(String fragment) {
    return lines.stream().filter(l -> l.contains(fragment)).count();
  }

  public boolean contains(String fragment) {
    return count(fragment) > 0;
  }
}
