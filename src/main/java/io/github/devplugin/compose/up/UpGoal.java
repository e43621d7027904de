package io.github.devplugin.compose.up;

import io.github.devplugin.compose.ComposeGenerator;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import io.github.devplugin.image.EngineClient;
import io.github.devplugin.image.EngineDiscovery;
import io.github.devplugin.image.ImageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code devplugin:up}: brings up the generated compose stack of the selected environment under a project name
 * unique to this build, waits until every service is ready, and returns the addresses to export
 * ({@code devplugin.up.<service>.host}/{@code .port}, {@code devplugin.up.jdbcUrl}...). On any failure it prints the
 * failing service's health-check output and last log lines, and removes everything it started.
 */
public final class UpGoal {
  /** Prefix of every exported property. */
  public static final String PREFIX = "devplugin.up.";
  static final int LOG_LINES = 40;

  private UpGoal() {}

  /**
   * @param config the selected environment
   * @param image what {@code devplugin:image} recorded for it, or null
   * @param environment this process's environment (DOCKER_HOST, XDG_RUNTIME_DIR...)
   * @param guard {@code devplugin:down} is to run later in this build: until it does, the stack is taken down when
   *     the JVM exits ({@link StackGuard}); false for the local dev run and {@code -Ddevplugin.keep}
   */
  public record Input(EffectiveConfig config, ImageRecord image, Secrets secrets, Map<String, String> environment,
      boolean guard) {}

  /**
   * @param properties what to export, sorted
   * @param state what was started (also in {@link StackState#file})
   */
  public record Result(Map<String, String> properties, StackState state) {}

  public static Result run(Input in, BuildLog log) {
    return run(in, log, Commands.system(), Engine::connect, EngineDiscovery.system(in.environment()));
  }

  static Result run(Input in, BuildLog log, Commands commands, ComposeCli.Connector connector,
      EngineDiscovery discovery) {
    EffectiveConfig c = in.config();
    Path devplugin = c.project().devpluginDirectory();
    Path dir = c.project().basedir().resolve(c.compose().outputDirectory()).normalize();
    List<String> files = composeFiles(c, dir);
    Path stateFile = StackState.file(devplugin);
    if (StackState.read(stateFile).isPresent()) {
      log.info("devplugin:up: the stack of an earlier devplugin:up is still recorded in " + stateFile
          + "; taking it down first.");
      DownGoal.run(devplugin, false, log, commands, connector);
    }
    ComposeCli cli = ComposeCli.discover(c.compose().command(), c.image().dockerHost(), discovery, commands,
        connector);
    Engine engine = cli.engine();
    log.info("devplugin:up: " + cli.name() + " (" + cli.version() + ") on " + engine.describe());
    Map<String, String> variables = new LinkedHashMap<>(secretVariables(c, in.secrets(), log));
    if (c.compose().randomPorts()) {
      variables.putAll(PortAllocator.allocate(EnvExample.of(dir).portVariables()));
    }
    loadImage(in.image(), engine, log);
    String project = projectName(c);
    StackState state = new StackState(project, cli.name(), cli.executable(), dir.toString(), files, engine.host(),
        engine.source(), EnvExample.of(dir).requiredVariables());
    state.write(stateFile);
    Duration timeout = Duration.ofSeconds(c.compose().upTimeout());
    // taken down if the JVM exits during up (Ctrl-C), or (guard) before down runs
    StackGuard.watch(stateFile, state, cli, commands, log);
    boolean started = false;
    try (HealthWaiter waiter = new HealthWaiter(engine, project, log)) {
      log.info("devplugin:up: starting project " + project + " (" + String.join(", ", files) + " in " + dir
          + "), waiting up to " + timeout.toSeconds() + " s for every service");
      waiter.startDriver();
      long begin = System.nanoTime();
      Commands.Result up = upWithProgress(commands, cli.command(project, files, "up", "-d"),
          cli.environment(variables), dir, timeout, waiter);
      HealthWaiter.Failure failure;
      if (!up.ok()) {
        failure = upFailure(engine.containers(project), up, timeout);
      } else {
        Duration left = timeout.minusNanos(System.nanoTime() - begin);
        failure = waiter.await(left.isNegative() ? Duration.ZERO : left, timeout);
      }
      if (failure != null) {
        String report = report(failure, up, cli, project, files, dir, variables, commands, c)
            + fix(failure, up, c, hostPorts(EnvExample.of(dir), variables, in.environment()));
        tearDown(state, stateFile, cli, commands, log);
        throw new UserError(report);
      }
      started = true;
    } catch (RuntimeException e) {
      if (!started && Files.exists(stateFile)) {
        tearDown(state, stateFile, cli, commands, log);
      }
      throw e;
    } finally {
      if (!started || !in.guard()) {
        StackGuard.release(stateFile);
      }
    }
    Map<String, String> properties = exports(c, project, engine.containers(project));
    properties.forEach((k, v) -> log.info("devplugin:up: " + k + " = " + v));
    log.info("devplugin:up: project " + project + " is up. Take it down with mvn devplugin:down (bound to"
        + " post-integration-test), or: " + state.manualDown());
    return new Result(properties, state);
  }

  /**
   * Runs {@code up -d}, which blocks while dependencies become healthy, logging the services' progress meanwhile.
   */
  private static Commands.Result upWithProgress(Commands commands, List<String> command, Map<String, String> env,
      Path dir, Duration timeout, HealthWaiter waiter) {
    java.util.concurrent.CompletableFuture<Commands.Result> up = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> commands.run(command, env, dir, timeout));
    while (!up.isDone() && HealthWaiter.sleep()) {
      try {
        waiter.progress();
      } catch (RuntimeException e) {
        // the engine may be busy creating the project; the next poll, or the wait after up, reports
      }
    }
    return up.join();
  }

  /**
   * Why {@code up -d} failed: a container that failed; when it ran out of time, the container still waiting (one
   * with a health check first: what the others wait for); else the CLI's own failure.
   */
  static HealthWaiter.Failure upFailure(List<Engine.Container> containers, Commands.Result up, Duration timeout) {
    for (Engine.Container x : containers) {
      if (HealthWaiter.failure(x) != null) {
        return new HealthWaiter.Failure(x, HealthWaiter.failure(x));
      }
    }
    if (up.exit() != Commands.TIMED_OUT) {
      return new HealthWaiter.Failure(null, "it exited with code " + up.exit());
    }
    return containers.stream().filter(x -> !HealthWaiter.isReady(x))
        .sorted(java.util.Comparator.comparing((Engine.Container x) -> x.health().isEmpty()))
        .findFirst().map(x -> new HealthWaiter.Failure(x, "it is still " + HealthWaiter.state(x) + " after "
            + timeout.toSeconds() + " s"))
        .orElse(new HealthWaiter.Failure(null, "it did not finish within " + timeout.toSeconds() + " s"));
  }

  /** docker-compose.yml and the environment's override file (docker-compose.override.yml for dev), when written. */
  static List<String> composeFiles(EffectiveConfig c, Path dir) {
    if (!Files.isRegularFile(dir.resolve(ComposeGenerator.COMPOSE_FILE))) {
      throw new UserError("devplugin:up found no " + dir.resolve(ComposeGenerator.COMPOSE_FILE) + " ("
          + c.where("compose.outputDirectory") + "). Fix: run devplugin:compose first: bind it (package phase) next"
          + " to up, or run mvn package devplugin:up.");
    }
    List<String> files = new ArrayList<>(List.of(ComposeGenerator.COMPOSE_FILE));
    String override = c.environment().equals(ComposeGenerator.BASE_ENVIRONMENT) ? ComposeGenerator.DEV_OVERRIDE_FILE
        : ComposeGenerator.environmentFile(c);
    if (Files.isRegularFile(dir.resolve(override))) {
      files.add(override);
    }
    return files;
  }

  /** The configured name (or the service's) with a random suffix: parallel builds never share a project. */
  static String projectName(EffectiveConfig c) {
    String base = c.compose().projectName() != null ? c.compose().projectName()
        : c.service().name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return base + "-up-" + HexFormat.of().formatHex(random);
  }

  /**
   * Every declared secret with a value, as the variable of its name (the compose files reference them, never with a
   * value in a file). The database password may be unset: the stack is new on every up (its project name is), so a
   * random one is generated for this run.
   */
  static Map<String, String> secretVariables(EffectiveConfig c, Secrets secrets, BuildLog log) {
    Map<String, String> out = new TreeMap<>();
    String dbSecret = c.database().enabled() ? c.database().passwordSecret() : null;
    for (Secrets.Status s : secrets.status()) {
      if (s.present()) {
        secrets.value(s.name()).ifPresent(v -> out.put(s.name(), v));
      } else if (s.name().equals(dbSecret)) {
        out.put(s.name(), randomPassword(secrets));
        log.info("devplugin:up: secret " + s.name() + " has no value (" + s.source() + "): the stack's new"
            + " database gets a random password for this run.");
      } else {
        secrets.value(s.name()); // throws, naming the secret's source and the fix
      }
    }
    return out;
  }

  private static String randomPassword(Secrets secrets) {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = "up-" + HexFormat.of().formatHex(random);
    secrets.masker().add(password);
    return password;
  }

  /** A tar image (the {@code tar} target) is loaded into the engine, where compose finds it by its tag. */
  private static void loadImage(ImageRecord image, Engine engine, BuildLog log) {
    if (image == null || !"tar".equals(image.target()) || image.tarFile() == null) {
      return;
    }
    Path tar = Path.of(image.tarFile());
    if (!Files.isRegularFile(tar)) {
      throw new UserError("devplugin:up: the image tar " + tar + " recorded in image.json is missing. Fix: run"
          + " devplugin:image (package phase) before up.");
    }
    log.info("devplugin:up: loading " + tar.getFileName() + " into " + engine.describe());
    EngineClient.at(engine.host(), engine.source()).load(tar);
  }

  /** The failing service's state, health checks and last log lines, and the fix. */
  private static String report(HealthWaiter.Failure failure, Commands.Result up, ComposeCli cli, String project,
      List<String> files, Path dir, Map<String, String> variables, Commands commands, EffectiveConfig c) {
    StringBuilder b = new StringBuilder();
    Engine.Container ctr = failure.container();
    if (ctr == null) {
      b.append("devplugin:up: ").append(cli.name()).append(" up failed for project ").append(project).append(": ")
          .append(failure.reason()).append(".\n").append(cli.name()).append(" said:\n")
          .append(indent(up.tail(LOG_LINES)));
    } else {
      b.append("devplugin:up: service '").append(ctr.service()).append("' of project ").append(project)
          .append(" did not become ready: ").append(failure.reason()).append(".\n");
      if (!ctr.healthLog().isEmpty()) {
        List<String> h = ctr.healthLog();
        b.append("Its last health checks:\n").append(indent(String.join("\n", h.subList(Math.max(0, h.size() - 3),
            h.size()))));
      }
      Commands.Result logs = commands.run(cli.command(project, files, "logs", "--no-color", "--tail",
          Integer.toString(LOG_LINES), ctr.service()), cli.environment(variables), dir, Duration.ofSeconds(60));
      b.append("Its last log lines:\n").append(indent(logs.tail(LOG_LINES)));
      if (!up.ok()) {
        b.append(cli.name()).append(" up said:\n").append(indent(up.tail(10)));
      }
    }
    b.append("Everything of project ").append(project).append(" was removed.\nFix: ");
    return b.toString();
  }

  /** Where the engine says a port is taken: podman ({@code listen tcp4 127.0.0.1:5432: bind: ...}), Docker. */
  private static final Pattern TAKEN_PORT = Pattern.compile(
      ":([0-9]{1,5}): bind: address already in use|Bind for \\S*:([0-9]{1,5}) failed: port is already allocated");
  /** The image the engine could not find or pull: podman, Docker (manifest unknown, pull access denied). */
  private static final Pattern MISSING_IMAGE = Pattern.compile(
      "no such image: (\\S+?): image not known|manifest for (\\S+) not found|pull access denied for ([^,\\s]+)");

  /** Each host-port variable of {@code .env.example} with the port it has in this run. */
  static Map<String, String> hostPorts(EnvExample envExample, Map<String, String> variables,
      Map<String, String> environment) {
    Map<String, String> out = new LinkedHashMap<>();
    envExample.portDefaults().forEach((v, port) -> out.put(v, variables.getOrDefault(v,
        environment.getOrDefault(v, port))));
    return out;
  }

  static String fix(HealthWaiter.Failure failure, Commands.Result up, EffectiveConfig c,
      Map<String, String> hostPorts) {
    String out = up.output();
    String lower = out.toLowerCase(Locale.ROOT);
    String randomPorts = OverrideProperties.setting("compose.randomPorts", "true");
    Matcher port = TAKEN_PORT.matcher(out);
    if (port.find()) {
      String number = port.group(1) != null ? port.group(1) : port.group(2);
      List<String> names = new ArrayList<>();
      hostPorts.forEach((v, p) -> {
        if (p.equals(number)) {
          names.add(v);
        }
      });
      return "host port " + number + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")") + " is taken"
          + " by another process: free it, set " + (names.isEmpty() ? "the variable that publishes it"
          : String.join(" / ", names)) + " to a free port, or set " + randomPorts + " to publish every port on a"
          + " free one.";
    }
    if (lower.contains("address already in use") || lower.contains("port is already allocated")) {
      return "a host port is taken: set " + randomPorts + " to publish every port on a free one, or free the port.";
    }
    Matcher image = MISSING_IMAGE.matcher(out);
    Set<String> images = new TreeSet<>();
    while (image.find()) {
      for (int g = 1; g <= image.groupCount(); g++) {
        if (image.group(g) != null) {
          images.add(image.group(g));
        }
      }
    }
    if (!images.isEmpty() || lower.contains("manifest unknown") || lower.contains("pull access denied")
        || lower.contains("image not known") || lower.contains("no such image")) {
      return "an image is missing" + (images.isEmpty() ? "" : " (" + String.join(", ", images) + ")") + ": neither"
          + " the engine nor its registry has it. Build the service's with devplugin:image (package phase) and check"
          + " the images of <compose> (postgresImage, redisImage) exist where the engine pulls from.";
    }
    if (failure.container() != null && failure.reason().startsWith("it is still")) {
      return "read the log lines above; if the service only needs longer, raise "
          + OverrideProperties.setting("compose.upTimeout") + " (now " + c.compose().upTimeout() + " s).";
    }
    if (failure.container() != null && failure.reason().startsWith("its health check")) {
      return "the health check above fails: check <service><healthPath> (" + c.service().healthPath()
          + ") answers 200 and the log lines above.";
    }
    return "the log lines above say why it stopped.";
  }

  private static String indent(String text) {
    StringBuilder b = new StringBuilder();
    text.lines().forEach(l -> b.append("  | ").append(l).append('\n'));
    return b.toString();
  }

  /** Takes down what was started, never failing the caller: the original error matters more. */
  private static void tearDown(StackState state, Path stateFile, ComposeCli cli, Commands commands, BuildLog log) {
    try {
      DownGoal.takeDown(state, cli, commands, log);
      StackState.delete(stateFile);
    } catch (RuntimeException e) {
      log.error("devplugin:up could not remove project " + state.project() + ": " + e.getMessage()
          + " Take it down by hand: " + state.manualDown());
    }
  }

  /** The properties tests read: every published port of every service, and the database's and Redis' URLs. */
  static Map<String, String> exports(EffectiveConfig c, String project, List<Engine.Container> containers) {
    Map<String, String> p = new TreeMap<>();
    p.put(PREFIX + "project", project);
    for (Engine.Container ctr : containers) {
      if (ctr.ports().isEmpty()) {
        continue;
      }
      String s = ctr.service();
      ctr.ports().forEach((containerPort, hp) -> p.put(PREFIX + s + ".port." + containerPort.replace("/tcp", ""),
          Integer.toString(hp.port())));
      Engine.HostPort main = mainPort(c, ctr);
      p.put(PREFIX + s + ".host", main.host());
      p.put(PREFIX + s + ".port", Integer.toString(main.port()));
      if (s.equals(c.service().name())) {
        p.put(PREFIX + "url", "http://" + main.host() + ":" + main.port());
      } else if (s.equals("postgres")) {
        p.put(PREFIX + "jdbcUrl", "jdbc:postgresql://" + main.host() + ":" + main.port() + "/"
            + (c.database().name() == null ? c.service().name() : c.database().name()));
        if (c.database().user() != null) {
          p.put(PREFIX + "jdbcUser", c.database().user());
        }
      } else if (s.equals("redis")) {
        p.put(PREFIX + "redisUrl", "redis://" + main.host() + ":" + main.port());
      }
    }
    return p;
  }

  private static Engine.HostPort mainPort(EffectiveConfig c, Engine.Container ctr) {
    int wanted = ctr.service().equals(c.service().name()) ? c.service().port()
        : ctr.service().equals("postgres") ? 5432 : ctr.service().equals("redis") ? 6379 : -1;
    Engine.HostPort hp = ctr.ports().get(wanted + "/tcp");
    return hp != null ? hp : ctr.ports().values().iterator().next();
  }
}
