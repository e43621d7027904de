package io.github.devplugin.scan;

import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import tools.jackson.databind.JsonNode;

/**
 * An offline OSV vulnerability database: a directory of OSV JSON records (searched recursively), a per-ecosystem
 * {@code all.zip} export, or a directory holding such zips. Records are indexed by ecosystem and package name; a
 * record that is not valid OSV JSON fails the scan naming the file (and zip entry) and the problem.
 */
public final class OsvDatabase {
  /** One range of an affected package: its type ({@code ECOSYSTEM}, {@code SEMVER}) and events in record order. */
  public record Range(String type, List<Event> events) {}

  /** {@code introduced}, {@code fixed}, {@code last_affected} or {@code limit}, with its version. */
  public record Event(String kind, String version) {}

  /** An affected package of an advisory. */
  public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions) {}

  /** An OSV record. */
  public record Advisory(String id, List<String> aliases, String summary, Severity severity, String score,
      List<Affected> affected, String source) {}

  private final Map<String, List<Advisory>> byPackage = new HashMap<>();
  private int count;

  private OsvDatabase() {}

  /** How many records were read. */
  public int size() {
    return count;
  }

  /** The advisories naming a package of an ecosystem ({@code Maven}, {@code Debian:12}, ...). */
  public List<Advisory> advisories(String ecosystem, String name) {
    return byPackage.getOrDefault(key(ecosystem, name), List.of());
  }

  private static String key(String ecosystem, String name) {
    return ecosystem.toLowerCase(Locale.ROOT) + "\u0000" + name;
  }

  /** Reads a database; {@code configured} is how the user wrote it, for messages. */
  public static OsvDatabase load(Path path, String configured) {
    if (!Files.exists(path)) {
      throw new UserError("The vulnerability database " + configured + " (" + path + ") does not exist. Fix: point "
          + OverrideProperties.setting("image.scan.database") + " at a directory of OSV JSON records or an OSV"
          + " export zip (https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip, e.g. Maven and"
          + " Debian), or remove it to run the secret scan only.");
    }
    OsvDatabase db = new OsvDatabase();
    List<Problem> problems = new ArrayList<>();
    try {
      if (Files.isDirectory(path)) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
          files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json")
              || p.toString().endsWith(".zip")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        for (Path f : files) {
          if (f.toString().endsWith(".zip")) {
            db.readZip(f, problems);
          } else {
            db.add(Files.readString(f, StandardCharsets.UTF_8), path.relativize(f).toString(), problems);
          }
        }
      } else {
        db.readZip(path, problems);
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read the vulnerability database " + path + ": " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("The vulnerability database " + configured + " has records that are not OSV JSON",
          problems, "Fix or remove them, or fetch the export again; the database is "
          + OverrideProperties.setting("image.scan.database") + ".");
    }
    return db;
  }

  private void readZip(Path zip, List<Problem> problems) throws IOException {
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = z.getNextEntry()) != null) {
        if (!e.isDirectory() && e.getName().endsWith(".json")) {
          add(new String(z.readAllBytes(), StandardCharsets.UTF_8), zip.getFileName() + "!" + e.getName(), problems);
        }
      }
    } catch (java.util.zip.ZipException e) {
      problems.add(new Problem(zip.toString(), "is not a zip file (" + e.getMessage() + ")",
          "download the export again"));
    }
  }

  void add(String json, String source, List<Problem> problems) {
    Advisory a;
    try {
      a = parse(Json.read(json), source);
    } catch (RuntimeException e) {
      problems.add(new Problem(source, e.getMessage(), "give a record in the OSV schema"
          + " (https://ossf.github.io/osv-schema/): id, affected[].package.ecosystem/name, ranges[].events"));
      return;
    }
    count++;
    for (Affected af : a.affected()) {
      byPackage.computeIfAbsent(key(af.ecosystem(), af.name()), k -> new ArrayList<>()).add(a);
    }
  }

  static Advisory parse(JsonNode n, String source) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("is not a JSON object");
    }
    String id = text(n, "id", "id");
    List<String> aliases = new ArrayList<>();
    n.path("aliases").forEach(x -> aliases.add(x.asString()));
    List<Affected> affected = new ArrayList<>();
    JsonNode affectedNode = n.get("affected");
    if (affectedNode != null && !affectedNode.isArray()) {
      throw new IllegalArgumentException(id + ": 'affected' is not an array");
    }
    int i = 0;
    for (JsonNode af : n.path("affected")) {
      String where = id + ": affected[" + i++ + "]";
      JsonNode pkg = af.get("package");
      if (pkg == null || !pkg.isObject()) {
        throw new IllegalArgumentException(where + " has no 'package'");
      }
      String ecosystem = text(pkg, "ecosystem", where + ".package.ecosystem");
      String name = text(pkg, "name", where + ".package.name");
      List<Range> ranges = new ArrayList<>();
      int r = 0;
      for (JsonNode range : af.path("ranges")) {
        String rw = where + ".ranges[" + r++ + "]";
        String type = text(range, "type", rw + ".type");
        JsonNode events = range.get("events");
        if (events == null || !events.isArray() || events.isEmpty()) {
          throw new IllegalArgumentException(rw + " has no 'events'");
        }
        List<Event> ev = new ArrayList<>();
        for (JsonNode e : events) {
          if (!e.isObject() || e.size() != 1) {
            throw new IllegalArgumentException(rw + ".events: each event has exactly one of introduced, fixed,"
                + " last_affected, limit");
          }
          String kind = e.propertyNames().iterator().next();
          if (!List.of("introduced", "fixed", "last_affected", "limit").contains(kind)) {
            throw new IllegalArgumentException(rw + ".events: unknown event '" + kind + "'");
          }
          ev.add(new Event(kind, e.get(kind).asString()));
        }
        ranges.add(new Range(type, ev));
      }
      List<String> versions = new ArrayList<>();
      af.path("versions").forEach(v -> versions.add(v.asString()));
      affected.add(new Affected(ecosystem, name, ranges, versions));
    }
    Severity severity = Severity.UNKNOWN;
    String score = null;
    for (JsonNode s : n.path("severity")) {
      double v = Severity.cvss3(s.path("score").asString(""));
      if (v >= 0) {
        severity = Severity.ofScore(v);
        score = String.valueOf(v);
      }
    }
    if (score == null) {
      String label = n.path("database_specific").path("severity").asString("");
      if (label.isEmpty()) {
        for (JsonNode af : n.path("affected")) {
          label = af.path("ecosystem_specific").path("severity").asString(label);
          label = af.path("database_specific").path("severity").asString(label);
        }
      }
      if (!label.isEmpty()) {
        try {
          severity = Severity.parse(label);
        } catch (IllegalArgumentException e) {
          severity = Severity.UNKNOWN;
        }
      }
    }
    return new Advisory(id, aliases, n.path("summary").asString(""), severity, score, affected, source);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isString() || v.asString().isBlank()) {
      throw new IllegalArgumentException((where.equals(field) ? "" : where + ": ") + "'" + field + "' is missing or"
          + " not a string");
    }
    return v.asString();
  }
}
