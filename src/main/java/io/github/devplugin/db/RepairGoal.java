package io.github.devplugin.db;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import java.util.List;
import java.util.Optional;

/**
 * The {@code repair} goal without Maven: finds and removes what an interrupted non-transactional migration or undo
 * left in the environment's database ({@link Repair}), or with {@code dryRun} only shows it.
 */
public final class RepairGoal {
  /** The goal's own flag (no configuration key). */
  public static final String DRY_RUN_PROPERTY = "devplugin.repair.dryRun";

  private RepairGoal() {}

  /** @return what was found, or empty when the service has no database */
  public static Optional<List<Leftovers.Leftover>> run(EffectiveConfig config, Secrets secrets, BuildLog log,
      boolean dryRun) {
    if (DbGoals.disabled(config, "repair", log)) {
      return Optional.empty();
    }
    return Optional.of(new Repair(DbGoals.target(config, secrets), DbGoals.spec(config), log).run(dryRun));
  }
}
