package io.github.devplugin.db;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.core.UserError;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.extensibility.AppliedMigration;
import org.flywaydb.core.internal.info.MigrationInfoImpl;

/**
 * The migrate core shared by {@code devplugin:migrate} and the image's {@link MigratorMain}: Flyway with a
 * session-level lock (so {@code CREATE INDEX CONCURRENTLY} completes), a watcher that logs who holds the lock while
 * we wait, an optional {@code pg_dump} backup taken only when something is pending, a dry run, and a table of what is
 * applied and pending.
 */
public final class Migrator {
  private final DbTarget target;
  private final MigrationSpec spec;
  private final BuildLog log;
  private final String applicationName;
  private final String lockTimeoutSetting;
  private final UpToDate stamp;

  public Migrator(DbTarget target, MigrationSpec spec, BuildLog log) {
    this(target, spec, log, "<database><lockTimeout>");
  }

  /** @param lockTimeoutSetting how messages name the setting of {@link MigrationSpec#lockTimeoutSeconds()} */
  public Migrator(DbTarget target, MigrationSpec spec, BuildLog log, String lockTimeoutSetting) {
    this(target, spec, log, lockTimeoutSetting, null);
  }

  /**
   * @param stamp where a migrate remembers the state Flyway found up to date ({@link MigrateStamp}), so that the
   *     next one with the same files and history table decides without Flyway; null for none
   */
  public Migrator(DbTarget target, MigrationSpec spec, BuildLog log, String lockTimeoutSetting, UpToDate stamp) {
    this.target = target;
    this.spec = spec;
    this.log = log;
    this.applicationName = applicationName("migrate");
    this.lockTimeoutSetting = lockTimeoutSetting;
    this.stamp = stamp;
  }

  /** A name that tells other sessions (and {@code pg_stat_activity}) which process this is. */
  static String applicationName(String what) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "unknown-host";
    }
    String name = "devplugin " + what + " " + host + " pid " + ProcessHandle.current().pid() + " #"
        + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    return name.length() > 63 ? name.substring(name.length() - 63) : name;
  }

  /** One line of the status table. */
  public record Row(String version, String description, String type, String state, String installedOn,
      Integer executionTimeMs, boolean appliedNow) {}

  /**
   * What a migrate did.
   *
   * @param appliedKinds what was applied by kind, e.g. {@code 2 SQL versioned, 1 Java versioned} (empty: nothing)
   */
  public record Outcome(List<Row> rows, int appliedNow, int pending, Path backup, String schemaVersion,
      boolean dryRun, String appliedKinds) {}

  /** Whether and where to back up before migrating. */
  public record BackupRequest(Path directory, PgTools tools) {}

  /** The status of every migration (applied, pending, failed, ...) without changing anything. */
  public List<Row> status() {
    try (Connection probe = Connections.open(target, applicationName)) {
      Flyway flyway = Flyways.migrations(target, spec, applicationName, log);
      return rows(flyway.info().all(), Set.of());
    } catch (FlywayException e) {
      throw MigrationErrors.migrateFailed(e, target);
    } catch (SQLException e) {
      throw Connections.connectionError(target, e);
    }
  }

  /**
   * Applies every pending migration (or lists them for a dry run).
   *
   * @param backup null for no backup
   */
  public Outcome migrate(boolean dryRun, BackupRequest backup) {
    FlywayDataSource flywaySource = new FlywayDataSource(Connections.dataSource(target, applicationName), log);
    try {
      return migrate(dryRun, backup, flywaySource);
    } finally {
      // Flyway's first connection, opened ahead, is closed when Flyway never took it
      flywaySource.close();
    }
  }

  private Outcome migrate(boolean dryRun, BackupRequest backup, FlywayDataSource flywaySource) {
    // when no stamp can spare Flyway whatever the scan finds (a dry run, no stamp, none recorded yet), Flyway's
    // configuration (a JVM's first load() takes about 1 s) starts now, while the scan reads the files, and its first
    // connection opens as soon as the control connection is open
    boolean flywayCertain = asksFlyway(dryRun);
    // the control connection opens while the scan reads the files; the scan's problems are still the ones reported
    // first, and a connection nobody will use is closed
    Background<Connection> connecting = Background.start("devplugin-migrate-connect", () -> {
      Connection c = Connections.open(target, applicationName);
      if (flywayCertain) {
        flywaySource.openAhead();
      }
      return c;
    });
    // Flyway's resources listed once, with the scripts the scan reads given from memory (filesystem locations)
    ScannedResources resources = ScannedResources.applies(spec.locations()) ? new ScannedResources() : null;
    Background<Flyway> configuring = flywayCertain
        ? Background.start("devplugin-migrate-flyway", () -> Flyways.migrations(flywaySource, spec, null,
            resources, log))
        : null;
    MigrationScan scan;
    try {
      // every file and class under the locations, checked before anything runs (dry run included)
      scan = MigrationScan.of(spec);
      for (String warning : scan.warnings()) {
        log.warn(warning);
      }
      scan.check(dryRun ? "checked" : "applied");
    } catch (RuntimeException | Error e) {
      connecting.abandon(Migrator::closeQuietly);
      throw e;
    }
    if (resources != null) {
      resources.use(scan.contents());
    }
    // when the scan shows that no stamp can spare Flyway, its configuration loads while the control connection
    // checks the database
    if (configuring == null && asksFlyway(dryRun, scan)) {
      configuring = Background.start("devplugin-migrate-flyway", () -> Flyways.migrations(flywaySource, spec, scan,
          resources, log));
    }
    boolean configuredBeforeScan = flywayCertain;
    // connect first: a wrong password or host fails here, naming the setting, before Flyway wraps it
    try (Connection control = connecting.get()) {
      // what an interrupted non-transactional migration or undo left is repaired first (devplugin:repair names it)
      Leftovers.refuse(control, spec, "migrate");
      String schema = managedSchema(control, spec);
      Optional<MigrateStamp> stamped = dryRun ? Optional.empty()
          : MigrateStamp.of(stamp, target, spec, schema, scan);
      // a database without the history table: every migration found is pending and none is applied, so nothing
      // is left to validate or count before migrating when the scan saw all that Flyway finds (SQL files only)
      boolean historyExists = MigrateStamp.exists(control, schema, spec.table());
      java.util.OptionalInt fresh = dryRun || historyExists ? java.util.OptionalInt.empty() : scan.sqlMigrations();
      if (stamped.isPresent() && historyExists) {
        Optional<MigrateStamp.History> same = stamped.get().upToDate(control, schema, spec.table());
        if (same.isPresent()) {
          log.debug("The migration files and the schema history table are as the last migrate left them"
              + " (" + stamp.stampFile() + "): Flyway is not asked again.");
          log.info(upToDate(schema, same.get().currentVersion()));
          return new Outcome(same.get().rows(), 0, 0, null, same.get().currentVersion(), false, "");
        }
      }
      Flyway flyway;
      if (configuring == null) {
        flyway = Flyways.migrations(flywaySource, spec, scan, resources, log);
      } else {
        flyway = configuring.get();
        if (configuredBeforeScan && scan.addsToFlyway()) {
          // the Java migrations and callbacks the scan found: configured again with them (a JVM's second load()
          // is quick)
          flyway = Flyways.migrations(flywaySource, spec, scan, resources, log);
        }
        // Flyway's lines while it migrates, on this thread, go to this goal's log too
        FlywayLogBridge.use(log);
      }
      int pending;
      int found;
      String current;
      boolean matched;
      if (fresh.isPresent() && fresh.getAsInt() > 0) {
        // Flyway's info() would read every script only to say that all of them are pending (migrate reads them)
        pending = fresh.getAsInt();
        found = pending;
        current = EMPTY_SCHEMA;
        matched = true;
      } else {
        // one scan of the scripts and the history table serves the check, the message and the table; Flyway's own
        // validation (a second scan) runs only when that one shows something it could reject
        MigrationInfoService info = flyway.info();
        matched = matchesHistory(info);
        if (!matched) {
          validate(flyway);
        }
        pending = info.pending().length;
        found = info.all().length;
        current = currentVersion(info);
        if (dryRun) {
          log.info("Dry run (-D" + MigrateGoal.DRY_RUN_PROPERTY + "): " + pending + " pending migration"
              + (pending == 1 ? "" : "s") + " would be applied to schema \"" + schema + "\"; nothing was changed.");
          return new Outcome(rows(info.all(), Set.of()), 0, pending, null, current, true, "");
        }
        if (pending == 0) {
          log.info(upToDate(schema, current));
          List<Row> rows = rows(info.all(), Set.of());
          if (stamped.isPresent()) {
            stamped.get().recordIfPlain(control, schema, spec.table(), rows, current);
          }
          return new Outcome(rows, 0, 0, null, current, false, "");
        }
      }
      Path dump = null;
      if (backup != null) {
        Backups.ServerVersion server = Backups.serverVersion(control);
        PgTools.Tool pgDump = Backups.preflight(backup.tools(), server);
        dump = Backups.backup(target, pgDump, schemasToBackUp(control), backup.directory(),
            current.equals(EMPTY_SCHEMA) ? "empty" : "v" + current, log);
      }
      log.info("Applying " + pending + " pending migration" + (pending == 1 ? "" : "s")
          + " to schema \"" + schema + "\" of " + target.hostAndPort() + "/" + target.database() + ".");
      long key = MigrationLock.key(schema, spec.table());
      MigrateResult result;
      // the watcher polls on the control connection, which stays idle while Flyway migrates on its own
      try (MigrationLock.Watcher watcher = new MigrationLock.Watcher(control, key, applicationName, log,
          spec.lockTimeoutSeconds(), lockTimeoutSetting)) {
        try {
          result = flyway.migrate();
        } catch (FlywayException e) {
          throw lockTimedOut(e, watcher.lastBlockers());
        }
      }
      Set<String> now = new HashSet<>();
      for (MigrateOutput o : result.migrations) {
        now.add(o.version + "|" + o.description);
      }
      // the table after migrating: from the history table alone when it can only be what Flyway's info() shows
      // (every migration found was applied before or now, as plain SQL versioned ones), else from info(), which
      // reads every script again
      Optional<MigrateStamp.History> plain = matched && now.size() == pending
          ? MigrateStamp.read(control, schema, spec.table()).filter(h -> h.rows().size() == found)
          : Optional.empty();
      List<Row> rows;
      String version;
      if (plain.isPresent()) {
        rows = plain.get().rows().stream().map(r -> new Row(r.version(), r.description(), r.type(), r.state(),
            r.installedOn(), r.executionTimeMs(), now.contains(r.version() + "|" + r.description()))).toList();
        version = plain.get().currentVersion();
        if (stamped.isPresent()) {
          stamped.get().record(plain.get());
        }
      } else {
        MigrationInfoService after = flyway.info();
        notRun(after);
        rows = rows(after.all(), now);
        version = currentVersion(after);
        if (stamped.isPresent()) {
          stamped.get().recordIfPlain(control, schema, spec.table(), rows, version);
        }
      }
      String kinds = MigrationScan.kinds(result.migrations);
      log.info("Applied " + result.migrationsExecuted + " migration" + (result.migrationsExecuted == 1 ? "" : "s")
          + " in " + result.getTotalMigrationTime() + " ms" + (kinds.isEmpty() ? "" : " (" + kinds + ")")
          + "; schema \"" + schema + "\" is now at version " + version + ".");
      return new Outcome(rows, result.migrationsExecuted, 0, dump, version, false, kinds);
    } catch (FlywayException e) {
      throw MigrationErrors.migrateFailed(e, target);
    } catch (SQLException e) {
      throw Connections.connectionError(target, e);
    }
  }

  /**
   * Whether this migrate asks Flyway whatever the database holds: a dry run, no stamp, a scan whose files are not
   * all Flyway runs ({@link MigrationScan#sqlOnlyFingerprint}), or no stamp recorded yet. Otherwise a stamp that
   * matches the history table decides without Flyway, which then must not be loaded at all.
   */
  boolean asksFlyway(boolean dryRun, MigrationScan scan) {
    return asksFlyway(dryRun) || scan.sqlOnlyFingerprint().isEmpty();
  }

  /** Whether this migrate asks Flyway whatever the scan finds: a dry run, no stamp, or no stamp recorded yet. */
  boolean asksFlyway(boolean dryRun) {
    return dryRun || stamp == null || !java.nio.file.Files.isRegularFile(stamp.stampFile());
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // a connection never used: nothing was done on it
    }
  }

  private static String upToDate(String schema, String version) {
    return "Schema \"" + schema + "\" is up to date at version " + version + ": nothing to migrate.";
  }

  /**
   * Flyway's validation on every run, also when nothing is pending: an applied migration whose file changed since
   * (checksum), an applied migration no longer found, a failed one. Pending and outdated repeatable migrations are
   * what migrate applies, not errors.
   */
  static void validate(Flyway flyway) {
    Flyway validating = Flyway.configure(flyway.getConfiguration().getClassLoader())
        .configuration(flyway.getConfiguration()).ignoreMigrationPatterns("*:future", "*:pending").load();
    ValidateResult result = validating.validateWithResult();
    List<Problem> problems = new ArrayList<>();
    for (ValidateOutput o : result.invalidMigrations) {
      if (o.errorDetails == null || o.errorDetails.errorCode == CoreErrorCode.OUTDATED_REPEATABLE_MIGRATION) {
        continue;
      }
      String file = o.filepath == null || o.filepath.isEmpty()
          ? (o.version == null || o.version.isEmpty() ? "repeatable" : "version " + o.version) + " '"
              + o.description + "'"
          : o.filepath;
      String fix;
      if (o.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH) {
        fix = "an applied migration must not change: restore " + MigrationErrors.fileName(file) + " to the content"
            + " that was applied and put the change in a new migration; if the edit changes nothing in the database"
            + " (a comment, formatting), record the new checksum with Flyway's repair.";
      } else if (o.errorDetails.errorCode == CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED
          || o.errorDetails.errorCode == CoreErrorCode.APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED) {
        fix = "restore the applied migration's file (or class) in <database><locations>, or roll the database back"
            + " to before it.";
      } else if (o.errorDetails.errorCode == CoreErrorCode.FAILED_VERSIONED_MIGRATION
          || o.errorDetails.errorCode == CoreErrorCode.FAILED_REPEATABLE_MIGRATION) {
        fix = "undo what the failed migration left behind and delete its failed row from the schema history table"
            + " (Flyway's repair), then migrate again.";
      } else {
        fix = "make the migrations in <database><locations> match the schema history table.";
      }
      problems.add(new Problem(file, Connections.firstLine(o.errorDetails.errorMessage), fix));
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("The applied migrations do not match the migration files", problems,
          "Nothing was changed.");
    }
  }

  /**
   * Whether {@link #validate} has nothing to find in {@code info}: every migration is applied successfully with the
   * checksum, description and type of its file or class, pending, an outdated repeatable (what migrate reapplies) or
   * a superseded run of one. Anything else (a failed, missing, ignored or future migration, an edited applied one,
   * or an entry this check cannot read) leaves the decision to Flyway's validation.
   */
  static boolean matchesHistory(MigrationInfoService info) {
    for (MigrationInfo i : info.all()) {
      switch (i.getState()) {
        case PENDING, OUTDATED, SUPERSEDED -> {
          continue;
        }
        case SUCCESS -> {
          if (!(i instanceof MigrationInfoImpl m) || m.getResolvedMigration() == null
              || m.getAppliedMigration() == null) {
            return false;
          }
          ResolvedMigration resolved = m.getResolvedMigration();
          AppliedMigration applied = m.getAppliedMigration();
          if (!Objects.equals(resolved.getChecksum(), applied.getChecksum())
              || !Objects.equals(resolved.getDescription(), applied.getDescription())
              || !Objects.equals(resolved.getType(), applied.getType())
              || !Objects.equals(resolved.getVersion(), applied.getVersion())) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  /** After migrating, nothing found may stay unapplied (an out-of-order or ignored migration is named). */
  private static void notRun(MigrationInfoService after) {
    List<Problem> problems = new ArrayList<>();
    for (MigrationInfo i : after.all()) {
      String state = i.getState().name();
      if (state.equals("PENDING") || state.equals("IGNORED") || state.equals("OUTDATED")) {
        problems.add(new Problem(i.getScript(), "was found but not applied (" + state(i) + ").",
            "give it a version above the current one, or allow it with Flyway's outOfOrder."));
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("Migrations found but not run", problems, null);
    }
  }

  /**
   * A statement that waited {@code lock_timeout} for a lock another session holds (SQLSTATE 55P03): the message
   * names the holder and the setting; the transactional migration rolled back, so nothing changed.
   */
  private RuntimeException lockTimedOut(FlywayException e, List<MigrationLock.Blocker> blockers) {
    MigrationErrors.Failure f = MigrationErrors.failure(e, "a migration");
    if (!"55P03".equals(f.sqlState())) {
      return e;
    }
    String holders = blockers.isEmpty() ? "another session (it ended before it could be named)"
        : String.join("; ", blockers.stream().map(MigrationLock.Blocker::toString).toList());
    boolean transactional = !(e instanceof org.flywaydb.core.internal.exception.FlywayMigrateException m)
        || m.isExecutableInTransaction();
    return new UserError("Migration " + f.script() + (f.line() > 0 ? " line " + f.line() : "") + " waited "
        + spec.lockTimeoutSeconds() + " s (" + lockTimeoutSetting + ") for a lock held by " + holders + ", and gave"
        + " up." + (f.statement() == null ? "" : "\n  Statement: " + MigrationErrors.abbreviate(f.statement()))
        + (transactional ? "\nPostgreSQL rolled the migration back: the schema is as it was before " + f.script()
            + "." : "\n" + f.script() + " ran outside a transaction: statements before the failing one stay applied.")
        + " Fix: end or commit that session's transaction (SELECT pg_terminate_backend(pid)), or run the migration"
        + " when it is idle, or raise " + lockTimeoutSetting + ".", e);
  }

  static String currentVersion(Flyway flyway) {
    return currentVersion(flyway.info());
  }

  static String currentVersion(MigrationInfoService info) {
    MigrationInfo current = info.current();
    return current == null || current.getVersion() == null ? EMPTY_SCHEMA : current.getVersion().getVersion();
  }

  /** The version Flyway reports for a schema without applied versioned migrations. */
  static final String EMPTY_SCHEMA = "<< Empty Schema >>";

  /** The schema holding the history table: the first configured one, else the connection's current schema. */
  static String managedSchema(Connection c, MigrationSpec spec) {
    if (!spec.schemas().isEmpty()) {
      return spec.schemas().get(0);
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_schema()")) {
      rs.next();
      String s = rs.getString(1);
      if (s == null) {
        throw new io.github.devplugin.core.UserError("The connection has no current schema (search_path names no"
            + " existing schema). Fix: set <database><schemas><schema>NAME</schema></schemas>.");
      }
      return s;
    } catch (SQLException e) {
      throw new EnvironmentError("Cannot read the current schema: " + Connections.firstLine(e.getMessage()), e);
    }
  }

  private List<String> schemasToBackUp(Connection c) {
    return spec.schemas().isEmpty() ? List.of(managedSchema(c, spec)) : spec.schemas();
  }

  /** How the table shows when a migration was applied. */
  static String installedOn(java.util.Date date) {
    return INSTALLED_ON.format(Instant.ofEpochMilli(date.getTime())) + " UTC";
  }

  /** The format of {@link #installedOn}: one formatter for every row (a SimpleDateFormat per row costs). */
  private static final DateTimeFormatter INSTALLED_ON = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss",
      Locale.ROOT).withZone(ZoneOffset.UTC);

  static List<Row> rows(MigrationInfo[] infos, Set<String> appliedNow) {
    List<Row> out = new ArrayList<>();
    for (MigrationInfo i : infos) {
      String version = i.getVersion() == null ? "" : i.getVersion().getVersion();
      boolean now = appliedNow.contains(version + "|" + i.getDescription())
          || (i.getVersion() == null && appliedNow.contains("null|" + i.getDescription()));
      out.add(new Row(version, i.getDescription(), i.getType() == null ? "" : i.getType().name(),
          state(i), i.getInstalledOn() == null ? "" : installedOn(i.getInstalledOn()), i.getExecutionTime(),
          now));
    }
    return out;
  }

  private static String state(MigrationInfo i) {
    return i.getState().getDisplayName().toLowerCase(Locale.ROOT);
  }

  /**
   * The table of migrations: every pending, failed or just applied one, and the newest {@code keep} of those applied
   * before (a line says how many earlier ones are left out).
   */
  public static List<String> table(List<Row> rows, int keep) {
    int earlier = 0;
    for (Row r : rows) {
      if (r.state().equals("success") && !r.appliedNow()) {
        earlier++;
      }
    }
    int skip = Math.max(0, earlier - keep);
    List<Row> shown = new ArrayList<>();
    int seen = 0;
    for (Row r : rows) {
      if (r.state().equals("success") && !r.appliedNow() && seen++ < skip) {
        continue;
      }
      shown.add(r);
    }
    List<String> out = table(shown);
    if (skip > 0) {
      out.add(0, skip + " earlier applied migration" + (skip == 1 ? " is" : "s are") + " not shown.");
    }
    return out;
  }

  /** The table of migrations: version, description, state, when applied and how long it took. */
  public static List<String> table(List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"Version", "Description", "State", "Installed on", "Time"});
    for (Row r : rows) {
      cells.add(new String[] {r.version().isEmpty() ? "(repeatable)" : r.version(), r.description(),
          r.state() + (r.appliedNow() ? " (now)" : ""), r.installedOn(),
          r.executionTimeMs() == null ? "" : r.executionTimeMs() + " ms"});
    }
    int[] w = new int[5];
    for (String[] c : cells) {
      for (int i = 0; i < 5; i++) {
        w[i] = Math.max(w[i], c[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    String sep = "+" + String.join("+", java.util.Arrays.stream(w).mapToObj(n -> "-".repeat(n + 2)).toList()) + "+";
    out.add(sep);
    for (int r = 0; r < cells.size(); r++) {
      StringBuilder sb = new StringBuilder("|");
      for (int i = 0; i < 5; i++) {
        pad(sb.append(' '), cells.get(r)[i], w[i]).append(" |");
      }
      out.add(sb.toString());
      if (r == 0) {
        out.add(sep);
      }
    }
    if (rows.isEmpty()) {
      out.add(pad(new StringBuilder("| "), "no migrations found", sep.length() - 4).append(" |").toString());
    }
    out.add(sep);
    return out;
  }

  /** Appends {@code text} left-aligned in {@code width} columns (as {@code %-<width>s}). */
  private static StringBuilder pad(StringBuilder sb, String text, int width) {
    sb.append(text);
    for (int n = text.length(); n < width; n++) {
      sb.append(' ');
    }
    return sb;
  }
}
