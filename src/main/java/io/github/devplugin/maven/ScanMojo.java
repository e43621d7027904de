package io.github.devplugin.maven;

import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.scan.ScanGoal;
import java.time.LocalDate;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Gates the image that {@code devplugin:image} built (read back from the registry or tar in {@code image.json}, not
 * rebuilt): known vulnerabilities from an offline OSV database ({@code <image><scan><database>}, Maven and Debian
 * ecosystems) at or above {@code <failOn>} (default {@code HIGH}) that the allow-list does not allow, expired
 * allow-list entries, and secrets in any layer or the image config fail the build. Writes
 * {@code target/devplugin/scan.json} and {@code scan.sarif}. On by default in {@code prod}; elsewhere enable it with
 * {@code <image><scan><enabled>true</enabled>} ({@code -Ddevplugin.scan.enabled=true}). Without a database it says
 * so and runs the secret scan only.
 */
@Mojo(name = "scan", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ScanMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.scan.skip}, default {@code false}. */
  @Parameter(property = "devplugin.scan.skip", defaultValue = "false")
  private boolean skipScan;

  /** Overrides {@code <image><scan><enabled>}. Property {@code devplugin.scan.enabled}. */
  @Parameter(property = "devplugin.scan.enabled")
  private String scanEnabled;

  /** Overrides {@code <image><scan><database>}: an OSV directory or zip. Property {@code devplugin.scan.database}. */
  @Parameter(property = "devplugin.scan.database")
  private String scanDatabase;

  /** Overrides {@code <image><scan><failOn>}. Property {@code devplugin.scan.failOn}. */
  @Parameter(property = "devplugin.scan.failOn")
  private String scanFailOn;

  /** Overrides {@code <image><scan><allowList>}. Property {@code devplugin.scan.allowList}. */
  @Parameter(property = "devplugin.scan.allowList")
  private String scanAllowList;

  @Inject
  public ScanMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "scan";
  }

  @Override
  protected boolean goalSkipped() {
    return skipScan;
  }

  @Override
  protected void goalOverrides(List<ConfigLoader.Override> out) {
    override(out, "image.scan.enabled", scanEnabled, "scanEnabled");
    override(out, "image.scan.database", scanDatabase, "scanDatabase");
    override(out, "image.scan.failOn", scanFailOn, "scanFailOn");
    override(out, "image.scan.allowList", scanAllowList, "scanAllowList");
  }

  @Override
  protected void run(Goal goal) {
    if ("pom".equals(project.getPackaging())) {
      goal.log().info("Skipping devplugin:scan: " + project.getArtifactId() + " has pom packaging (no image).");
      return;
    }
    if (!goal.config().image().scan().enabled()) {
      goal.log().info("Skipping devplugin:scan: it is off in environment '" + goal.config().environment()
          + "' (on by default in prod). Enable it with " + OverrideProperties.setting("image.scan.enabled", "true")
          + ".");
      return;
    }
    ScanGoal.run(goal.config(), goal.secrets(), goal.log(),
        (a, b) -> new ComparableVersion(a).compareTo(new ComparableVersion(b)), LocalDate.now(), System.getenv(),
        network(goal));
  }
}
