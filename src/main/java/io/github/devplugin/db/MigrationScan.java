package io.github.devplugin.db;

import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Every file and class under the migration locations, read before Flyway runs, so that nothing found is silently left
 * out: SQL files that do not follow Flyway's naming (Flyway skips them without a word), empty migrations, undo scripts
 * without their migration, and Java migrations and callbacks in the project's compiled classes. Java migrations in a
 * {@code classpath:} location are found by Flyway itself; those in the {@code db.migration} package while the
 * locations are {@code filesystem:} ones, and every Java callback (Flyway never discovers those), are handed to Flyway
 * explicitly. A class that looks like a migration but cannot be loaded or run is a problem naming it.
 */
final class MigrationScan {
  /** The naming rules, for messages. */
  static final String PATTERNS = "V<version>__<description>.sql (versioned), R__<description>.sql (repeatable),"
      + " U<version>__<description>.sql (undo) or a callback such as afterMigrate.sql";

  /** The package Flyway's convention puts Java migrations in. */
  static final String JAVA_PACKAGE = "db/migration";

  private static final Pattern VERSIONED = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
  private static final Pattern REPEATABLE = Pattern.compile("R__(.+)\\.sql");
  private static final Pattern LOOKS_LIKE_MIGRATION = Pattern.compile("(?i)[VUR][^/]*");

  private final List<Problem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<JavaMigration> javaMigrations = new ArrayList<>();
  private final List<Callback> callbacks = new ArrayList<>();
  private final List<String> javaClasses = new ArrayList<>();
  private final Set<MigrationVersion> versions = new TreeSet<>();
  private final List<String[]> undos = new ArrayList<>();
  /** Every file found under the locations, with the content of those Flyway reads. */
  private final Fingerprint files = Fingerprint.start();
  /**
   * The text of the scripts read, by absolute path, up to {@link #CONTENTS_KEPT} characters in all: what Flyway gets
   * instead of reading them again ({@link ScannedResources}).
   */
  private final java.util.Map<String, String> contents = new java.util.HashMap<>();
  private long contentsKept;
  /** {@link #files}' digest, taken once: {@link Fingerprint#hex()} ends the digest it reads. */
  private String filesHex;
  private boolean sqlCallbacks;
  private int repeatables;
  private boolean classpathLocations;

  private MigrationScan() {}

  /** Scans the spec's locations and the class directories of its class loader. */
  static MigrationScan of(MigrationSpec spec) {
    MigrationScan scan = new MigrationScan();
    List<Path> classRoots = classRoots(spec.classLoader());
    Set<String> classpathPackages = new LinkedHashSet<>();
    for (String location : spec.locations()) {
      if (location.startsWith("filesystem:")) {
        scan.files(Path.of(location.substring("filesystem:".length())));
      } else if (location.startsWith("classpath:")) {
        scan.classpathLocations = true;
        String pkg = location.substring("classpath:".length()).replaceAll("^/+|/+$", "");
        classpathPackages.add(pkg);
        for (Path root : classRoots) {
          scan.files(root.resolve(pkg));
        }
      }
    }
    Set<String> javaPackages = new LinkedHashSet<>(classpathPackages);
    javaPackages.add(JAVA_PACKAGE);
    for (String pkg : javaPackages) {
      for (Path root : classRoots) {
        scan.classes(root, pkg, classpathPackages.stream().anyMatch(p -> pkg.equals(p) || pkg.startsWith(p + "/")),
            spec.classLoader());
      }
    }
    scan.orphans();
    return scan;
  }

  /** Adds the Java migrations Flyway would not find itself and every Java callback. */
  void addTo(FluentConfiguration c) {
    if (!javaMigrations.isEmpty()) {
      c.javaMigrations(javaMigrations.toArray(JavaMigration[]::new));
    }
    if (!callbacks.isEmpty()) {
      // after the callbacks already configured (Flyways' session settings): callbacks(...) replaces the list
      List<Callback> all = new ArrayList<>(List.of(c.getCallbacks()));
      all.addAll(callbacks);
      c.callbacks(all.toArray(Callback[]::new));
    }
  }

  /** At most this many characters of scripts are kept for Flyway (beyond that, Flyway reads the files itself). */
  static final long CONTENTS_KEPT = 32L * 1024 * 1024;

  /** The text of the scripts read (not beyond {@link #CONTENTS_KEPT} characters in all), by absolute path. */
  java.util.Map<String, String> contents() {
    return java.util.Collections.unmodifiableMap(contents);
  }

  /** Whether {@link #addTo} adds anything (a Java migration Flyway would not find, a Java callback). */
  boolean addsToFlyway() {
    return !javaMigrations.isEmpty() || !callbacks.isEmpty();
  }

  List<Problem> problems() {
    return problems;
  }

  List<String> warnings() {
    return warnings;
  }

  /** The Java migration classes found, by name (for the report). */
  List<String> javaClasses() {
    return javaClasses;
  }

  /** The versions that have an undo script ({@code U<version>__*.sql}). */
  Set<MigrationVersion> undoVersions() {
    Set<MigrationVersion> out = new TreeSet<>();
    for (String[] u : undos) {
      out.add(MigrationVersion.fromVersion(u[0]));
    }
    return out;
  }

  /**
   * The fingerprint of every file found and the content of every migration read, when everything Flyway would run
   * on a migrate with nothing pending is in those files: only {@code filesystem:} locations (a {@code classpath:}
   * one also reads jars, which the scan does not), no Java migration or callback, no SQL callback (Flyway runs
   * callbacks such as {@code afterMigrate.sql} on every migrate); empty otherwise.
   */
  java.util.Optional<String> sqlOnlyFingerprint() {
    if (classpathLocations || sqlCallbacks || !javaClasses.isEmpty() || !callbacks.isEmpty()
        || !javaMigrations.isEmpty()) {
      return java.util.Optional.empty();
    }
    if (filesHex == null) {
      filesHex = files.hex();
    }
    return java.util.Optional.of(filesHex);
  }

  /**
   * How many migrations Flyway finds in the scanned files, when {@link #sqlOnlyFingerprint} says the files are all
   * it finds: one per versioned script's version and one per repeatable script; empty otherwise.
   */
  java.util.OptionalInt sqlMigrations() {
    return sqlOnlyFingerprint().isPresent() ? java.util.OptionalInt.of(versions.size() + repeatables)
        : java.util.OptionalInt.empty();
  }

  /** Fails naming every problem found. */
  void check(String what) {
    if (!problems.isEmpty()) {
      throw new ProblemsException("The migrations cannot be " + what + ": Flyway would skip or fail on these",
          problems, "Nothing was changed.");
    }
  }

  private void files(Path dir) {
    files.add("location", dir + (Files.isDirectory(dir) ? "" : " (absent)"));
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (Path p : listed(dir)) {
      file(p);
    }
  }

  /**
   * The regular files under {@code dir}, sorted, as Flyway's scanners ({@code FileSystemScanner} for
   * {@code filesystem:} locations, {@code FileSystemClassPathLocationScanner} for class directories) list them: a
   * hidden directory ({@link Files#isHidden}, Flyway's {@code File.isHidden}: on Unix a name starting with '.') is
   * skipped with everything in it, a hidden file is listed, a link to a directory is followed.
   */
  private static List<Path> listed(Path dir) {
    List<Path> out = new ArrayList<>();
    try {
      list(dir, out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
    out.sort(null);
    return out;
  }

  private static void list(Path dir, List<Path> out) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        if (Files.isDirectory(p)) {
          if (!Files.isHidden(p)) {
            list(p, out);
          }
        } else if (Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    }
  }

  private void file(Path p) {
    String name = p.getFileName().toString();
    files.add("file", p);
    if (name.endsWith(".class")) {
      return;
    }
    if (!name.endsWith(".sql")) {
      warnings.add(p + " is not a .sql file: Flyway ignores it.");
      return;
    }
    Matcher v = VERSIONED.matcher(name);
    if (v.matches()) {
      MigrationVersion version = MigrationVersion.fromVersion(v.group(2).replace('_', '.'));
      if (v.group(1).equals("V")) {
        versions.add(version);
      } else {
        undos.add(new String[] {v.group(2).replace('_', '.'), p.toString()});
      }
      empty(p);
      return;
    }
    if (REPEATABLE.matcher(name).matches()) {
      repeatables++;
      empty(p);
      return;
    }
    if (isCallback(name)) {
      sqlCallbacks = true;
      return;
    }
    problems.add(new Problem(p.toString(), misnamed(name), "rename it " + PATTERNS + "."));
  }

  private static boolean isCallback(String name) {
    String base = name.substring(0, name.length() - ".sql".length());
    int sep = base.indexOf("__");
    String id = sep < 0 ? base : base.substring(0, sep);
    for (Event e : Event.values()) {
      if (e.getId().equals(id)) {
        return true;
      }
    }
    return false;
  }

  /** Why a {@code .sql} name is not one Flyway runs. */
  static String misnamed(String name) {
    char first = name.charAt(0);
    if (first == 'v' || first == 'u' || first == 'r') {
      return "the prefix '" + first + "' is lower case, so Flyway never runs this file.";
    }
    if (first != 'V' && first != 'U' && first != 'R') {
      return "the name follows no migration pattern, so Flyway never runs this file.";
    }
    if (!name.contains("__")) {
      return "there is no '__' (two underscores) between the version and the description, so Flyway never runs"
          + " this file.";
    }
    String version = name.substring(1, name.indexOf("__"));
    return "'" + version + "' is not a version (digits separated by '.' or '_'), so Flyway never runs this file.";
  }

  private void empty(Path p) {
    String sql;
    try {
      sql = Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + p, e);
    }
    files.add("content", sql);
    if (contentsKept + sql.length() <= CONTENTS_KEPT) {
      contents.put(p.toAbsolutePath().toString(), sql);
      contentsKept += sql.length();
    }
    if (blank(sql)) {
      problems.add(new Problem(p.toString(), "is empty (no statement besides comments).",
          "write the statements it should run, or delete it."));
    }
  }

  /**
   * Whether a script holds no statement besides comments and semicolons. A script whose first character other than
   * white space starts no comment and is no semicolon has a statement (the common case, decided without a regular
   * expression); any other is judged with the comments removed.
   */
  static boolean blank(String sql) {
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (!Character.isWhitespace(c)) {
        if (c != '-' && c != '/' && c != ';') {
          return false;
        }
        break;
      }
    }
    return sql.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)--.*$", "").replace(";", "").strip().isEmpty();
  }

  private void orphans() {
    for (String[] u : undos) {
      if (!versions.contains(MigrationVersion.fromVersion(u[0]))) {
        problems.add(new Problem(u[1], "is an undo script without a migration: no V" + u[0]
            + "__*.sql (or Java migration V" + u[0].replace('.', '_') + "__*) is in the locations.",
            "rename it to the version of the migration it undoes, or delete it."));
      }
    }
  }

  private void classes(Path root, String pkg, boolean flywayFindsThem, ClassLoader loader) {
    Path dir = root.resolve(pkg);
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (Path f : listed(dir)) {
      if (!f.getFileName().toString().endsWith(".class")) {
        continue;
      }
      String rel = root.relativize(f).toString().replace(File.separatorChar, '/');
      String className = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
      if (className.matches(".*\\$\\d.*")) {
        continue;
      }
      javaClass(className, flywayFindsThem, loader);
    }
  }

  private void javaClass(String className, boolean flywayFindsIt, ClassLoader loader) {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    simple = simple.substring(simple.lastIndexOf('$') + 1);
    boolean looksLikeMigration = LOOKS_LIKE_MIGRATION.matcher(simple).matches() && simple.contains("__");
    Class<?> cls;
    try {
      cls = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      problems.add(new Problem(className, "cannot be loaded (" + e + "), so it cannot run as a migration.",
          "put what it needs on the project's runtime classpath (a dependency of scope compile or runtime)."));
      return;
    }
    if (cls.isInterface() || Modifier.isAbstract(cls.getModifiers())) {
      return;
    }
    boolean migration = JavaMigration.class.isAssignableFrom(cls);
    boolean callback = Callback.class.isAssignableFrom(cls);
    if (!migration && !callback) {
      if (looksLikeMigration) {
        problems.add(new Problem(className, "is named like a migration but does not implement "
            + JavaMigration.class.getName() + ", so Flyway never runs it.",
            "extend org.flywaydb.core.api.migration.BaseJavaMigration, or rename it."));
      }
      return;
    }
    Object instance;
    try {
      instance = cls.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : e;
      problems.add(new Problem(className, "cannot be created (" + cause + "), so Flyway cannot run it.",
          "give it a public constructor without parameters; a Java migration's class name must be"
              + " V<version>__<description> or R__<description>."));
      return;
    }
    if (migration) {
      JavaMigration m = (JavaMigration) instance;
      javaClasses.add(className);
      if (m.getVersion() != null) {
        versions.add(m.getVersion());
      }
      if (!flywayFindsIt) {
        javaMigrations.add(m);
      }
    } else {
      callbacks.add((Callback) instance);
    }
  }

  /**
   * The directories of compiled classes and resources a class loader reads: its own and its parents' directory URLs,
   * and the {@code java.class.path} directories when the chain reaches the application class loader.
   */
  static List<Path> classRoots(ClassLoader loader) {
    List<Path> out = new ArrayList<>();
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          try {
            if ("file".equals(url.getProtocol())) {
              directory(out, Path.of(url.toURI()));
            }
          } catch (URISyntaxException | IllegalArgumentException e) {
            // not a local directory: nothing to scan
          }
        }
      } else if (l == ClassLoader.getSystemClassLoader()) {
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
          if (!entry.isEmpty()) {
            directory(out, Path.of(entry));
          }
        }
      }
    }
    return out;
  }

  private static void directory(List<Path> out, Path p) {
    if (Files.isDirectory(p) && !out.contains(p)) {
      out.add(p);
    }
  }

  /** "applied 3: 2 SQL versioned, 1 Java versioned" from Flyway's types and categories. */
  static String kinds(List<org.flywaydb.core.api.output.MigrateOutput> applied) {
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    for (var o : applied) {
      String language = o.type != null && o.type.toUpperCase(Locale.ROOT).contains("JDBC") ? "Java" : "SQL";
      String category = o.category == null || o.category.isEmpty() ? "versioned"
          : o.category.toLowerCase(Locale.ROOT);
      counts.merge(language + " " + category, 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((k, n) -> parts.add(n + " " + k));
    return String.join(", ", parts);
  }
}
