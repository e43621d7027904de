package io.github.devplugin.maven;

import io.github.devplugin.compose.up.DownGoal;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Removes the containers, networks and volumes of the stack {@code devplugin:up} started (recorded in
 * {@code target/devplugin/up/stack.json}), also after failed integration tests (failsafe's {@code verify} fails the
 * build afterwards), and checks through the engine that nothing of it is left.
 */
@Mojo(name = "down", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class DownMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.down.skip}, default {@code false}. */
  @Parameter(property = "devplugin.down.skip", defaultValue = "false")
  private boolean skipDown;

  /**
   * Leaves the stack up for debugging; the log says how to take it down ({@code mvn devplugin:down}). Property
   * {@code devplugin.keep}, default {@code false}.
   */
  @Parameter(property = DownGoal.KEEP_PROPERTY, defaultValue = "false")
  private boolean keep;

  @Inject
  public DownMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "down";
  }

  @Override
  protected boolean goalSkipped() {
    return skipDown;
  }

  @Override
  protected void run(Goal goal) {
    DownGoal.run(goal.config().project().devpluginDirectory(), keep, goal.log());
  }
}
