package io.github.devplugin.scan;

import io.github.devplugin.sbom.Inventory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Matches an image's inventory against an OSV database: jars with Maven coordinates in the {@code Maven} ecosystem
 * ({@code groupId:artifactId}), Debian packages in {@code Debian:<VERSION_ID>} by source package and source version
 * (as Debian's advisories name them), Alpine packages in {@code Alpine:v<major.minor>} by origin. A version is
 * affected when the record lists it, or when an {@code ECOSYSTEM}/{@code SEMVER} range's events put it there:
 * events sorted by version, {@code introduced} (at or below) turns it on, {@code fixed} (at or below) and
 * {@code last_affected} (below) turn it off.
 */
public final class Matcher {
  /** A vulnerable package. {@code fixedIn} null when no fixed version is known. */
  public record Finding(String ecosystem, String packageName, String installed, String fixedIn, String location,
      OsvDatabase.Advisory advisory) {}

  private final Comparator<String> maven;

  /** @param maven Maven's version order (ComparableVersion), from the front-end */
  public Matcher(Comparator<String> maven) {
    this.maven = maven;
  }

  public List<Finding> match(Inventory inventory, OsvDatabase db) {
    List<Finding> out = new ArrayList<>();
    for (Inventory.Jar jar : inventory.jars()) {
      if (jar.groupId() != null) {
        String name = jar.groupId() + ":" + jar.artifactId();
        check(db, "Maven", name, jar.version(), maven, jar.path(), out);
      }
    }
    for (Inventory.OsPackage p : inventory.packages()) {
      if (p.type().equals("deb") && inventory.os() != null && inventory.os().versionId() != null) {
        String major = inventory.os().versionId().replaceAll("\\..*", "");
        check(db, "Debian:" + major, p.source(), p.sourceVersion(), Versions.DEBIAN, "deb " + p.name(), out);
      } else if (p.type().equals("apk") && inventory.os() != null && inventory.os().versionId() != null) {
        String v = inventory.os().versionId().replaceAll("^(\\d+\\.\\d+).*", "$1");
        check(db, "Alpine:v" + v, p.source(), p.version(), Versions.DEBIAN, "apk " + p.name(), out);
      }
    }
    out.sort(Comparator.comparing((Finding f) -> f.advisory().severity()).reversed()
        .thenComparing(Finding::packageName).thenComparing(f -> f.advisory().id()).thenComparing(Finding::location));
    return out;
  }

  private void check(OsvDatabase db, String ecosystem, String name, String version, Comparator<String> order,
      String location, List<Finding> out) {
    for (OsvDatabase.Advisory a : db.advisories(ecosystem, name)) {
      for (OsvDatabase.Affected af : a.affected()) {
        if (!af.ecosystem().equalsIgnoreCase(ecosystem) || !af.name().equals(name)) {
          continue;
        }
        String fixed = affected(af, version, order);
        if (fixed != null) {
          out.add(new Finding(ecosystem, name, version, fixed.isEmpty() ? null : fixed, location, a));
          break;
        }
      }
    }
  }

  /** Null when {@code version} is not affected; else the first fixed version above it, or "" when none is known. */
  static String affected(OsvDatabase.Affected af, String version, Comparator<String> order) {
    boolean hit = af.versions().contains(version);
    String fixedIn = null;
    for (OsvDatabase.Range range : af.ranges()) {
      if (!range.type().equals("ECOSYSTEM") && !range.type().equals("SEMVER")) {
        continue; // GIT ranges name commits, not versions
      }
      Comparator<String> cmp = range.type().equals("SEMVER") ? Versions.SEMVER : order;
      Comparator<OsvDatabase.Event> byVersion = (x, y) -> x.version().equals("0") ? (y.version().equals("0") ? 0 : -1)
          : y.version().equals("0") ? 1 : cmp.compare(x.version(), y.version());
      List<OsvDatabase.Event> events = new ArrayList<>(range.events());
      events.sort(byVersion);
      boolean in = false;
      for (OsvDatabase.Event e : events) {
        boolean zero = e.version().equals("0");
        int c = zero ? 1 : cmp.compare(version, e.version());
        switch (e.kind()) {
          case "introduced" -> {
            if (c >= 0) {
              in = true;
            }
          }
          case "fixed", "limit" -> {
            if (c >= 0) {
              in = false;
            }
          }
          case "last_affected" -> {
            if (c > 0) {
              in = false;
            }
          }
          default -> { }
        }
      }
      if (in) {
        hit = true;
        for (OsvDatabase.Event e : events) {
          if (e.kind().equals("fixed") && cmp.compare(e.version(), version) > 0) {
            fixedIn = e.version();
            break;
          }
        }
      }
    }
    return hit ? (fixedIn == null ? "" : fixedIn) : null;
  }
}
