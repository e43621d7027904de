package io.github.devplugin.maven;

import io.github.devplugin.compose.up.DownGoal;
import io.github.devplugin.compose.up.UpGoal;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.image.ImageRecord;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Brings up the compose stack of the selected environment (the files {@code devplugin:compose} wrote) under a project
 * name unique to this build, with the compose implementation found ({@code <compose><command>}), waits until every
 * service is healthy (or, for {@code migrate}, done), and exports the addresses as Maven properties for failsafe:
 * {@code devplugin.up.<service>.host}, {@code devplugin.up.<service>.port}, {@code devplugin.up.url},
 * {@code devplugin.up.jdbcUrl}, {@code devplugin.up.jdbcUser}, {@code devplugin.up.redisUrl},
 * {@code devplugin.up.project}. On failure it shows the failing service's health checks and last log lines and
 * removes everything it started. Without tests ({@code mvn devplugin:up}) the stack stays up:
 * {@code mvn devplugin:down} takes it down. When {@code down} is bound (or named on the command line) and the build
 * ends before it runs, the stack is taken down as Maven exits ({@code StackGuard}), unless {@code -Ddevplugin.keep}.
 */
@Mojo(name = "up", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class UpMojo extends AbstractDevpluginMojo {

  /** Skips this goal. Property {@code devplugin.up.skip}, default {@code false}. */
  @Parameter(property = "devplugin.up.skip", defaultValue = "false")
  private boolean skipUp;

  /**
   * The compose implementation, overriding {@code <compose><command>}: {@code auto} (default: {@code docker compose},
   * then {@code podman compose}, then {@code docker-compose}), {@code docker}, {@code podman} or
   * {@code docker-compose}. Property {@code devplugin.up.command}.
   */
  @Parameter(property = "devplugin.up.command")
  private String upCommand;

  /**
   * Publishes every host port on a free port, overriding {@code <compose><randomPorts>} (default {@code false}: the
   * ports of the compose files). Property {@code devplugin.up.randomPorts}.
   */
  @Parameter(property = "devplugin.up.randomPorts")
  private String randomPorts;

  /** Seconds to wait for every service, overriding {@code <compose><upTimeout>} (default 300). Property
   * {@code devplugin.up.timeout}. */
  @Parameter(property = "devplugin.up.timeout")
  private String upTimeout;

  /**
   * The stack stays up after the build: then {@code up} does not take it down when the build ends before
   * {@code devplugin:down} (see {@code devplugin:down}). Property {@code devplugin.keep}, default {@code false}.
   */
  @Parameter(property = DownGoal.KEEP_PROPERTY, defaultValue = "false")
  private boolean keep;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  private MojoExecution mojoExecution;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Inject
  public UpMojo(SettingsDecrypter decrypter) {
    super(decrypter);
  }

  @Override
  protected String goalName() {
    return "up";
  }

  @Override
  protected boolean goalSkipped() {
    return skipUp;
  }

  @Override
  protected void goalOverrides(List<ConfigLoader.Override> out) {
    override(out, "compose.command", upCommand, "upCommand");
    override(out, "compose.randomPorts", randomPorts, "randomPorts");
    override(out, "compose.upTimeout", upTimeout, "upTimeout");
  }

  @Override
  protected void run(Goal goal) {
    EffectiveConfig c = goal.config();
    ImageRecord image = ImageRecord.read(ImageRecord.file(c.project().devpluginDirectory()))
        .filter(r -> r.isFor(c.environment())).orElse(null);
    UpGoal.Result result = UpGoal.run(new UpGoal.Input(c, image, goal.secrets(), System.getenv(),
        !keep && downRunsInThisBuild()), goal.log());
    result.properties().forEach((k, v) -> project.getProperties().setProperty(k, v));
  }

  /**
   * Whether {@code devplugin:down} is to run later in this build: bound in this project (and {@code up} runs from
   * the lifecycle, not as {@code mvn devplugin:up}), or named on the command line. Then {@code up} takes its stack
   * down when the build ends without it (a failure between the two, another module of a {@code -T} build failing).
   */
  private boolean downRunsInThisBuild() {
    PluginDescriptor plugin = mojoExecution.getMojoDescriptor().getPluginDescriptor();
    boolean bound = mojoExecution.getSource() == MojoExecution.Source.LIFECYCLE && project.getBuildPlugins()
        .stream().filter(p -> p.getKey().equals(plugin.getPluginLookupKey()))
        .flatMap(p -> p.getExecutions().stream()).anyMatch(e -> e.getGoals().contains("down"));
    String prefix = plugin.getGroupId() + ":" + plugin.getArtifactId() + ":";
    boolean named = session.getGoals().stream().anyMatch(g -> g.equals(plugin.getGoalPrefix() + ":down")
        || g.startsWith(prefix) && g.endsWith(":down"));
    return bound || named;
  }
}
