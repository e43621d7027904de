package io.github.devplugin.maven;

import io.github.devplugin.config.ConfigCache;
import io.github.devplugin.config.ConfigException;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.ConfigNode;
import io.github.devplugin.config.Configuration;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.config.PluginParameters;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.core.Problem;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.Recheck;
import io.github.devplugin.core.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.codehaus.plexus.configuration.PlexusConfiguration;

/**
 * What every devplugin goal shares: the configuration (service, image, database, cache, kubernetes, compose, secrets
 * and environments), the environment choice, {@code -D} overrides and skipping. Subclasses stay thin: they turn the
 * effective configuration into a call to the core and log the result.
 */
public abstract class AbstractDevpluginMojo extends AbstractMojo {

  /** The environment whose configuration every goal uses: {@code dev}, {@code staging}, {@code prod} or any name
   * declared under {@code <environments>}. */
  @Parameter(property = "devplugin.env", defaultValue = "dev")
  protected String env;

  /** Skips every devplugin goal. */
  @Parameter(property = "devplugin.skip", defaultValue = "false")
  protected boolean skip;

  /**
   * The service: {@code name} (default: artifactId), {@code version}, {@code port} (8080), {@code healthPath}
   * ({@code /health}), {@code mainClass}, {@code jvmFlags}, {@code env} (plain variables by name), {@code ports},
   * {@code resources} ({@code requests}/{@code limits} of {@code cpu} and {@code memory}), {@code replicas},
   * {@code autoscaling}, {@code volumes}, {@code ingress}.
   * See the configuration reference: {@code devplugin:help -Ddetail}, or the plugin site's configuration page.
   */
  @Parameter
  protected PlexusConfiguration service;

  /** The container image: {@code from}, {@code to}, {@code target}, {@code format}, {@code tags},
   * {@code tagStrategy}, {@code platforms}, {@code user}, {@code labels}, {@code insecure}, {@code allowMutableTags},
   * {@code serverId}, {@code fromServerId}, {@code credHelper}, {@code tarFile}, {@code writableDirectories},
   * {@code allowOutsideProject} (entries of {@code extraDirectories} allowed outside the project directory),
   * {@code extraDirectories}, {@code jlinkModules}, {@code dockerHost}, {@code dockerfile} ({@code mode}, {@code file},
   * {@code builderImage}, {@code skipTests}).
   * See the configuration reference: {@code devplugin:help -Ddetail}, or the plugin site's configuration page. */
  @Parameter
  protected PlexusConfiguration image;

  /** The PostgreSQL database and its Flyway migrations: {@code enabled}, {@code url}, {@code name}, {@code user},
   * {@code serverId}, {@code passwordSecret}, {@code locations}, {@code backup}, {@code backupDirectory}. */
  @Parameter
  protected PlexusConfiguration database;

  /** Redis: {@code enabled}. */
  @Parameter
  protected PlexusConfiguration cache;

  /** Kubernetes manifests: {@code namespace}, {@code createNamespace}, {@code inlineSecrets}, {@code secretName},
   * {@code fragmentsDirectory}, {@code databaseUrl}, {@code redisUrl}, {@code partOf}, {@code probes},
   * {@code preStopSeconds}, {@code terminationGracePeriodSeconds}, {@code ingressPathType}, {@code context},
   * {@code rolloutTimeoutSeconds}, {@code migrationTimeoutSeconds}, {@code prune}, {@code undoOnFailure},
   * {@code policyExceptions}.
   * See the configuration reference: {@code devplugin:help -Ddetail}, or the plugin site's configuration page. */
  @Parameter
  protected PlexusConfiguration kubernetes;

  /**
   * The compose environment: {@code postgresImage}, {@code redisImage}, {@code databaseUiImage},
   * {@code redisUiImage}, {@code outputDirectory}, {@code projectName}, {@code appPort}, {@code debugPort},
   * {@code postgresPort}, {@code redisPort}, {@code databaseUiPort}, {@code redisUiPort}, {@code postgresDataPath},
   * {@code debug}, {@code mountClasses}, {@code tools}, {@code restart}, {@code variables}, {@code startPeriod}, and for
   * {@code up}: {@code command}, {@code randomPorts}, {@code upTimeout}.
   * See the configuration reference: {@code devplugin:help -Ddetail}, or the plugin site's configuration page.
   */
  @Parameter
  protected PlexusConfiguration compose;

  /**
   * Declared secrets, each {@code <secret><name>DB_PASSWORD</name>} with exactly one source: {@code <env>} (an
   * environment variable), {@code <server>} (a settings.xml server, decrypted) or {@code <file>}. Never a value.
   */
  @Parameter
  protected PlexusConfiguration secrets;

  /** Environment overlays by name, e.g. {@code <prod><service><replicas>3</replicas></service></prod>}: each
   * overrides the base by key and merges lists by identity (variables by name, ports by number). */
  @Parameter
  protected PlexusConfiguration environments;

  /** Overrides {@code <image><from>}: the base image reference. */
  @Parameter(property = "devplugin.image.from")
  protected String imageFrom;

  /** Overrides {@code <image><to>}: the target image reference. */
  @Parameter(property = "devplugin.image.to")
  protected String imageTo;

  /** Overrides {@code <image><target>}: {@code registry}, {@code tar} or {@code engine}. */
  @Parameter(property = "devplugin.image.target")
  protected String imageTarget;

  /** Overrides {@code <image><tags>}: comma-separated tags. */
  @Parameter(property = "devplugin.image.tags")
  protected String imageTags;

  /** Overrides {@code <image><insecure>}: allow plain-HTTP registries. */
  @Parameter(property = "devplugin.image.insecure")
  protected String imageInsecure;

  /**
   * Overrides {@code <service><framework>}: {@code auto} (detected from the dependencies, build plugins and parent),
   * {@code spring-boot}, {@code quarkus}, {@code micronaut} or {@code plain}.
   */
  @Parameter(property = "devplugin.framework")
  protected String framework;

  /** Overrides {@code <database><url>}: the JDBC URL. */
  @Parameter(property = "devplugin.db.url")
  protected String dbUrl;

  /** Overrides {@code <database><user>}. */
  @Parameter(property = "devplugin.db.user")
  protected String dbUser;

  /** Overrides {@code <database><serverId>}: the settings.xml server holding the database credentials. */
  @Parameter(property = "devplugin.db.serverId")
  protected String dbServerId;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  protected MavenSession session;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true)
  protected org.apache.maven.plugin.MojoExecution mojoExecution;

  private final SettingsDecrypter decrypter;

  protected AbstractDevpluginMojo(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  /**
   * What a goal gets to work with: the selected environment's configuration, every environment's (loaded once), the
   * secrets and the log.
   */
  protected record Goal(EffectiveConfig config, Configuration all, Secrets secrets, BuildLog log) {}

  /**
   * Maven's offline mode ({@code -o}) and the active settings.xml proxies (decrypted, passwords masked): what a goal's
   * network calls honour.
   */
  protected io.github.devplugin.core.Network network(Goal goal) {
    return MavenConfig.network(session, decrypter, goal.secrets().masker());
  }

  /** The goal's name, e.g. {@code image}. */
  protected abstract String goalName();

  /** The goal's own skip parameter ({@code devplugin.<goal>.skip}). */
  protected abstract boolean goalSkipped();

  /** The goal's work. Throws {@link UserError} for what the user must fix, {@link EnvironmentError} otherwise. */
  protected abstract void run(Goal goal) throws MojoExecutionException, MojoFailureException;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    Masker masker = new Masker();
    BuildLog log = new MavenBuildLog(getLog(), masker);
    boolean skipped = skip || goalSkipped();
    if (skipped) {
      log.info("Skipping devplugin:" + goalName() + ": devplugin." + (skip ? "" : goalName() + ".")
          + "skip is true.");
    }
    try {
      if (skipped) {
        finished(log, false);
        return;
      }
      checkPluginParameters();
      Inputs inputs = inputs();
      Recheck recheck = recheck(inputs);
      if (recheck != null) {
        java.util.Optional<List<String>> lines = recheck.lines();
        if (lines.isPresent()) {
          log.debug("Decided from " + recheck.file() + ": the configuration's inputs and every file the last"
              + " decision read are as they were then.");
          lines.get().forEach(log::info);
          finished(log, true);
          return;
        }
      }
      Map<java.nio.file.Path, String> lookedAt = new java.util.TreeMap<>();
      Configuration all = loadConfiguration(inputs, lookedAt);
      EffectiveConfig config = all.selected();
      Secrets resolver = new Secrets(config.secrets(),
          MavenConfig.servers(session == null ? null : session.getSettings(), decrypter), System::getenv, masker);
      RecordingLog recording = recheck == null ? null : new RecordingLog(log, masker);
      Goal goal = new Goal(config, all, resolver, recording == null ? log : recording);
      run(goal);
      if (recording != null) {
        RecheckFiles files = recording.clean() ? recheckFiles(goal) : null;
        if (files == null || !recheck.record(lookedAt, ConfigCache::stateOf, files.files(), files.trees(),
            recording.lines())) {
          recheck.forget();
        }
      }
      finished(log, true);
    } catch (UserError e) {
      debugCause(log, masker, e);
      throw new MojoFailureException(masker.mask(e.getMessage()));
    } catch (EnvironmentError e) {
      debugCause(log, masker, e);
      throw new MojoExecutionException(masker.mask(e.getMessage()));
    }
  }

  /**
   * Called once the goal ran ({@code ran}) or was skipped by {@code devplugin.skip} or its own skip switch, not after
   * a failure: a goal that merges the modules of a multi-module build records the module there; nothing by default.
   */
  protected void finished(BuildLog log, boolean ran) {}

  /**
   * Fails on a {@code <configuration>} element that is no parameter of any devplugin goal (Maven only warns and drops
   * it): the plugin-level configuration and this execution's.
   */
  private void checkPluginParameters() {
    if (mojoExecution == null || project == null || project.getBuild() == null) {
      return;
    }
    org.apache.maven.model.Plugin plugin = project.getBuild().getPluginsAsMap()
        .get(mojoExecution.getGroupId() + ":" + mojoExecution.getArtifactId());
    if (plugin == null) {
      return;
    }
    Map<String, List<String>> given = new LinkedHashMap<>();
    given.put("<plugin><configuration>", childNames(plugin.getConfiguration()));
    org.apache.maven.model.PluginExecution execution =
        plugin.getExecutionsAsMap().get(mojoExecution.getExecutionId());
    if (execution != null) {
      given.put("<execution><id>" + execution.getId() + "</id><configuration>",
          childNames(execution.getConfiguration()));
    }
    java.util.Set<String> known = new java.util.TreeSet<>();
    for (org.apache.maven.plugin.descriptor.MojoDescriptor m
        : mojoExecution.getMojoDescriptor().getPluginDescriptor().getMojos()) {
      if (m.getParameters() != null) {
        m.getParameters().forEach(p -> {
          known.add(p.getName());
          if (p.getAlias() != null) {
            known.add(p.getAlias());
          }
        });
      }
    }
    List<Problem> problems = PluginParameters.unknown(given, known);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private static List<String> childNames(Object configuration) {
    List<String> names = new ArrayList<>();
    if (configuration instanceof org.codehaus.plexus.util.xml.Xpp3Dom dom) {
      for (org.codehaus.plexus.util.xml.Xpp3Dom child : dom.getChildren()) {
        names.add(child.getName());
      }
    }
    return names;
  }

  /**
   * Environment names this goal always writes for, declared in the POM or not (no overlay unless declared), e.g. the
   * Dockerfile's standard targets; none by default.
   */
  protected List<String> alwaysKnownEnvironments() {
    return List.of();
  }

  /** What loading the configuration reads: the POM's elements, the overrides and the project, and their key. */
  private record Inputs(ProjectInfo project, Map<String, ConfigNode> base, ConfigNode environments,
      List<ConfigLoader.Override> overrides, String key) {}

  private Inputs inputs() {
    Map<String, ConfigNode> base = new LinkedHashMap<>();
    put(base, "service", service);
    put(base, "image", image);
    put(base, "database", database);
    put(base, "cache", cache);
    put(base, "kubernetes", kubernetes);
    put(base, "compose", compose);
    put(base, "secrets", secrets);
    ConfigNode envs = environments == null ? null : MavenConfig.toNode(environments, "");
    ProjectInfo info = MavenConfig.projectInfo(project);
    List<ConfigLoader.Override> overrides = overrides();
    return new Inputs(info, base, envs, overrides,
        ConfigCache.key(info, base, envs, overrides, env, alwaysKnownEnvironments()));
  }

  /** Loads and validates every environment's configuration once, selecting {@code -Ddevplugin.env}. */
  private Configuration loadConfiguration(Inputs in, Map<java.nio.file.Path, String> lookedAt) {
    // one cache per Maven session: the next goal of the same invocation reuses what this one loaded (ConfigCache)
    return configCache().loadAll(in.key(), in.project(), in.base(), in.environments(), in.overrides(), env,
        alwaysKnownEnvironments(), reused -> {
          if (reused) {
            getLog().debug("Configuration of every environment reused from an earlier goal of this build (same"
                + " project, plugin configuration, overrides and files).");
          }
        }, lookedAt);
  }

  /**
   * Whether this goal's "nothing to do" decision may be recorded and repeated from the state of files
   * ({@link Recheck}); false by default. Such a goal says with {@link #recheckFiles} what its decision read.
   */
  protected boolean rechecks() {
    return false;
  }

  /** The goal's own parameters that its decision depends on and that are no configuration override; none here. */
  protected void recheckKey(List<String> out) {}

  /**
   * The record's name after the goal's ({@code stamps/<goal>[-<name>].recheck}), so that decisions taken for other
   * environments are kept side by side; none by default.
   */
  protected java.util.Optional<String> recheckName() {
    return java.util.Optional.empty();
  }

  /** What a decision that nothing was to be done read, besides the configuration's inputs. */
  protected record RecheckFiles(List<java.nio.file.Path> files, List<java.nio.file.Path> trees) {}

  /**
   * After {@link #run}: the files and directory trees whose state decided that nothing was to be done, or null when
   * the goal did work (then nothing is recorded, and the next run decides from the goal's stamps).
   */
  protected RecheckFiles recheckFiles(Goal goal) {
    return null;
  }

  /** The goal's {@link Recheck} when it {@link #rechecks()} in a build of one project (a reactor merges), else null. */
  private Recheck recheck(Inputs in) {
    if (!rechecks() || project == null || Reactor.isMultiModule(session)) {
      return null;
    }
    List<String> own = new ArrayList<>();
    recheckKey(own);
    StringBuilder key = new StringBuilder(goalName()).append('\n').append(Recheck.pluginIdentity()).append('\n')
        .append(Fingerprint.text(own)).append('\n').append(in.key());
    String name = goalName() + recheckName().map(n -> "-" + n).orElse("");
    return Recheck.forGoal(in.project().devpluginDirectory(), name, key.toString());
  }

  /** A goal's log that also keeps its lines (masked), to be logged again when its decision is repeated. */
  private static final class RecordingLog implements BuildLog {
    private final BuildLog log;
    private final Masker masker;
    private final List<String> lines = new ArrayList<>();
    private boolean clean = true;

    RecordingLog(BuildLog log, Masker masker) {
      this.log = log;
      this.masker = masker;
    }

    @Override
    public void info(String message) {
      lines.add(masker.mask(message));
      log.info(message);
    }

    @Override
    public void warn(String message) {
      clean = false;
      log.warn(message);
    }

    @Override
    public void error(String message) {
      clean = false;
      log.error(message);
    }

    @Override
    public void debug(String message) {
      log.debug(message);
    }

    @Override
    public boolean isDebugEnabled() {
      return log.isDebugEnabled();
    }

    /** Every info line, also under {@code mvn -q}: a later run logs them again. */
    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    /** Nothing but info lines: a warning is not repeated from a record. */
    boolean clean() {
      return clean;
    }

    List<String> lines() {
      return lines;
    }
  }

  /** The session's {@link ConfigCache} (keyed by its class, so that another devplugin version keeps its own). */
  private ConfigCache configCache() {
    org.eclipse.aether.SessionData data = session == null || session.getRepositorySession() == null ? null
        : session.getRepositorySession().getData();
    if (data == null) {
      return new ConfigCache();
    }
    Object cache = data.get(ConfigCache.class);
    if (!(cache instanceof ConfigCache)) {
      data.set(ConfigCache.class, cache, new ConfigCache());
      cache = data.get(ConfigCache.class);
    }
    return (ConfigCache) cache;
  }

  private List<ConfigLoader.Override> overrides() {
    List<ConfigLoader.Override> out = new ArrayList<>();
    override(out, "image.from", imageFrom, "imageFrom");
    override(out, "image.to", imageTo, "imageTo");
    override(out, "image.target", imageTarget, "imageTarget");
    override(out, "image.tags", imageTags, "imageTags");
    override(out, "image.insecure", imageInsecure, "imageInsecure");
    override(out, "service.framework", framework, "framework");
    override(out, "database.url", dbUrl, "dbUrl");
    override(out, "database.user", dbUser, "dbUser");
    override(out, "database.serverId", dbServerId, "dbServerId");
    goalOverrides(out);
    commandLineOverrides(out);
    return out;
  }

  /**
   * Every other configuration key whose {@code -D} property is on the command line, so that every goal (and
   * {@code devplugin:config}) sees one configuration, whichever goal declares the property as its parameter.
   */
  private void commandLineOverrides(List<ConfigLoader.Override> out) {
    if (session == null) {
      return;
    }
    java.util.Set<String> given = new java.util.HashSet<>();
    out.forEach(o -> given.add(o.path()));
    OverrideProperties.all().forEach((path, property) -> {
      String value = session.getUserProperties().getProperty(property,
          session.getSystemProperties().getProperty(property));
      if (!given.contains(path) && value != null && !value.isEmpty()) {
        out.add(new ConfigLoader.Override(path, value, "-D" + property));
      }
    });
  }

  /**
   * Adds a goal's own {@code -D} overrides of configuration keys (with {@link #override}), e.g. the
   * {@code dockerfile} goal's {@code image.dockerfile.mode}; none by default.
   */
  protected void goalOverrides(List<ConfigLoader.Override> out) {}

  /**
   * Adds an override of the configuration key {@code path} (e.g. {@code image.to}) when {@code value} is set, labelled
   * {@code -Dproperty} when it came from the command line, else as the plugin parameter. The property is the key's
   * entry in {@link OverrideProperties}.
   */
  protected final void override(List<ConfigLoader.Override> out, String path, String value, String parameter) {
    if (value == null || value.isEmpty()) {
      return;
    }
    String property = OverrideProperties.property(path).orElseThrow(
        () -> new IllegalStateException("no -D property for " + path + " in OverrideProperties"));
    boolean fromCommandLine = session != null && (session.getUserProperties().containsKey(property)
        || session.getSystemProperties().containsKey(property));
    out.add(new ConfigLoader.Override(path, value,
        fromCommandLine ? "-D" + property : "plugin parameter <" + parameter + ">"));
  }

  private static void put(Map<String, ConfigNode> base, String name, PlexusConfiguration c) {
    if (c != null) {
      base.put(name, MavenConfig.toNode(c, ""));
    }
  }

  private static void debugCause(BuildLog log, Masker masker, RuntimeException e) {
    if (log.isDebugEnabled() && e.getCause() != null) {
      java.io.StringWriter w = new java.io.StringWriter();
      e.getCause().printStackTrace(new java.io.PrintWriter(w));
      log.debug("Cause: " + masker.mask(w.toString()));
    }
  }
}
