package io.github.devplugin.maven;

import io.github.devplugin.config.ConfigReport;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Outputs;
import java.nio.file.Path;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Prints the effective configuration of an environment and where each value came from (POM base, environment
 * overlay, {@code -D} property, default; secrets by source, masked), and writes it as JSON to
 * {@code target/devplugin/config-<env>.json}. Validates every environment on the way.
 */
@Mojo(name = "config", threadSafe = true)
public class ConfigMojo extends AbstractDevpluginMojo {

  /** Skips this goal. */
  @Parameter(property = "devplugin.config.skip", defaultValue = "false")
  private boolean skipConfig;

  @Inject
  public ConfigMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "config";
  }

  @Override
  protected boolean goalSkipped() {
    return skipConfig;
  }

  @Override
  protected void run(Goal goal) {
    List<Secrets.Status> status = goal.secrets().status();
    for (String line : ConfigReport.lines(goal.config(), status)) {
      goal.log().info(line);
    }
    Path out = goal.config().project().devpluginDirectory().resolve("config-" + goal.config().environment() + ".json");
    String json = goal.secrets().masker().mask(ConfigReport.json(goal.config(), status));
    boolean written = Outputs.writeIfChanged(out, json);
    goal.log().info((written ? "Wrote " : "Unchanged: ") + goal.config().project().basedir().relativize(out));
  }
}
