package io.github.devplugin.scan;

import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The scan's allow-list: one entry per line, {@code <id> <expires YYYY-MM-DD> <reason>}, where the id is the
 * advisory's OSV id or any alias (a CVE); blank lines and {@code #} comments are ignored. An entry allows its
 * advisory until the end of its expiry day; an expired entry, or a line that is not an entry, fails the scan naming
 * the file and line.
 */
public final class AllowList {
  /** An entry and the line it stands on. */
  public record Entry(String id, LocalDate expires, String reason, int line) {}

  private final List<Entry> entries;
  private final Path file;

  private AllowList(Path file, List<Entry> entries) {
    this.file = file;
    this.entries = List.copyOf(entries);
  }

  /** No allow-list. */
  public static AllowList none() {
    return new AllowList(null, List.of());
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Reads the file and checks every entry against {@code today}: a malformed or expired line is a problem. */
  public static AllowList read(Path file, String shown, LocalDate today) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read the allow-list " + file + ": " + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = shown + " line " + (i + 1);
      String[] parts = line.split("\\s+", 3);
      if (parts.length < 3) {
        problems.add(new Problem(where, "'" + line + "' is not an entry: an id, an expiry date and a reason are"
            + " needed.", "write '<id> <YYYY-MM-DD> <reason>', e.g. 'GHSA-599f-7c49-w659 2027-03-31 not reachable:"
            + " no interpolation of user input'."));
        continue;
      }
      LocalDate expires;
      try {
        expires = LocalDate.parse(parts[1]);
      } catch (DateTimeParseException e) {
        problems.add(new Problem(where, "'" + parts[1] + "' is not a date.", "write the expiry as YYYY-MM-DD."));
        continue;
      }
      if (expires.isBefore(today)) {
        problems.add(new Problem(where, "the entry for " + parts[0] + " expired on " + expires + " (" + parts[2]
            + ").", "upgrade the package, or review the reason and set a new expiry date."));
        continue;
      }
      entries.add(new Entry(parts[0], expires, parts[2], i + 1));
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("The scan's allow-list " + shown + " (" + OverrideProperties.setting(
          "image.scan.allowList") + ") has lines to fix", problems, null);
    }
    return new AllowList(file, entries);
  }

  /** The entry allowing an advisory (by id or alias), or null. */
  public Entry allows(OsvDatabase.Advisory a) {
    for (Entry e : entries) {
      if (e.id().equals(a.id()) || a.aliases().contains(e.id())) {
        return e;
      }
    }
    return null;
  }

  public Path file() {
    return file;
  }
}
