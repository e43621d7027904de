package io.github.devplugin.db;

import java.io.File;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.filesystem.FileSystemResource;
import org.flywaydb.core.internal.scanner.Scanner;

/**
 * Flyway's resources for {@code migrate}, listed by Flyway's own scanner (the one Flyway would create for each command:
 * same files, names, relative paths, order, {@code .conf} files and classes), with one difference: a script the
 * migration scan ({@link MigrationScan}) already read is given to Flyway from memory, so Flyway reads no script again
 * to checksum it, to validate or to run it, and checksums and runs exactly the text the scan checked and fingerprinted.
 * Flyway reads the scripts as UTF-8 as the scan does ({@code encoding} is not set, nor {@code detectEncoding}); a
 * script with a {@code <script>.conf} beside it (which may name another encoding) is read from its file as before.
 *
 * <p>The listing is made once, when the Flyway that holds this provider is loaded ({@link #list}, on the thread that
 * loads it), instead of once per Flyway command; the scan's contents arrive when the scan ends ({@link #use}). Used
 * only when every location is a {@code filesystem:} one ({@link #applies}).
 */
class ScannedResources implements ResourceProvider, ClassProvider<JavaMigration> {
  private volatile Listing listing;
  private volatile Map<String, String> contents = Map.of();

  /** Whether the provider applies to these locations: all of them {@code filesystem:} ones. */
  static boolean applies(List<String> locations) {
    return !locations.isEmpty() && locations.stream().allMatch(l -> l.startsWith("filesystem:"));
  }

  /** Sets this provider (resources and Java migration classes) on {@code c}. */
  void setOn(FluentConfiguration c) {
    c.resourceProvider(this).javaMigrationClassProvider(this);
  }

  /**
   * Lists the resources and classes with Flyway's scanner, for {@code configuration} (the loaded Flyway's):
   * what every command of that Flyway then gets.
   */
  void list(Configuration configuration) {
    Scanner<JavaMigration> scanner = new Scanner<>(JavaMigration.class, configuration, configuration.getLocations());
    boolean utf8 = !configuration.isDetectEncoding()
        && StandardCharsets.UTF_8.equals(configuration.getEncoding());
    Map<LoadableResource, LoadableResource> wrapped = new IdentityHashMap<>();
    for (LoadableResource r : scanner.getResources("", "")) {
      // FileSystemScanner gives another encoding to a script with a .conf file beside it
      boolean fromMemory = utf8 && r instanceof FileSystemResource
          && !new File(r.getAbsolutePathOnDisk() + ".conf").exists();
      wrapped.put(r, fromMemory ? new Scanned(r) : r);
    }
    listing = new Listing(scanner, wrapped);
  }

  /** The scripts the migration scan read, by absolute path: what Flyway gets instead of reading them again. */
  void use(Map<String, String> scriptContents) {
    contents = scriptContents;
  }

  private Listing listing() {
    Listing l = listing;
    if (l == null) {
      throw new IllegalStateException("the migration resources were not listed when Flyway was loaded");
    }
    return l;
  }

  @Override
  public LoadableResource getResource(String name) {
    Listing l = listing();
    return l.wrap(l.scanner().getResource(name));
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String... suffixes) {
    Listing l = listing();
    List<LoadableResource> out = new ArrayList<>();
    for (LoadableResource r : l.scanner().getResources(prefix, suffixes)) {
      out.add(l.wrap(r));
    }
    return out;
  }

  @Override
  public Collection<Class<? extends JavaMigration>> getClasses() {
    return listing().scanner().getClasses();
  }

  private record Listing(Scanner<JavaMigration> scanner, Map<LoadableResource, LoadableResource> wrapped) {
    LoadableResource wrap(LoadableResource r) {
      return r == null ? null : wrapped.getOrDefault(r, r);
    }
  }

  /** A script on disk, read from the scan's copy when the scan read it, else from its file. */
  private final class Scanned extends LoadableResource {
    private final LoadableResource file;

    Scanned(LoadableResource file) {
      this.file = file;
    }

    @Override
    public Reader read() {
      String text = contents.get(file.getAbsolutePathOnDisk());
      return text == null ? file.read() : new StringReader(text);
    }

    @Override
    public boolean shouldStream() {
      return file.shouldStream();
    }

    @Override
    public String getAbsolutePath() {
      return file.getAbsolutePath();
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return file.getAbsolutePathOnDisk();
    }

    @Override
    public String getFilename() {
      return file.getFilename();
    }

    @Override
    public String getRelativePath() {
      return file.getRelativePath();
    }

    @Override
    public String toString() {
      return file.toString();
    }
  }
}
