package io.github.devplugin.compose;

import static io.github.devplugin.compose.ComposeFragments.condition;
import static io.github.devplugin.compose.ComposeFragments.healthcheck;
import static io.github.devplugin.compose.ComposeFragments.literals;
import static io.github.devplugin.compose.ComposeFragments.ordered;
import static io.github.devplugin.compose.ComposeGenerator.DATABASE_UI;
import static io.github.devplugin.compose.ComposeGenerator.MIGRATE;
import static io.github.devplugin.compose.ComposeGenerator.POSTGRES;
import static io.github.devplugin.compose.ComposeGenerator.POSTGRES_VOLUME;
import static io.github.devplugin.compose.ComposeGenerator.REDIS;
import static io.github.devplugin.compose.ComposeGenerator.REDIS_UI;
import static io.github.devplugin.compose.ComposeGenerator.REDIS_VOLUME;
import static io.github.devplugin.compose.ComposeGenerator.TOOLS_PROFILE;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.github.devplugin.config.ComposeSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.SecretSpec;
import io.github.devplugin.config.ServiceConfig;
import io.github.devplugin.framework.EnvValues;
import io.github.devplugin.framework.Framework;
import io.github.devplugin.framework.FrameworkProfile;
import io.github.devplugin.framework.Profiles;
import io.github.devplugin.image.ImageLayout;
import io.github.devplugin.image.ImageRecord;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One environment's stack, one method per compose service: the app, the one-shot {@code migrate}, PostgreSQL,
 * Redis, and the UIs of the {@code tools} profile. Each service records its environment and image for the override
 * files, which compare the stacks of two environments.
 */
final class ComposeServices {
  /**
   * One environment's stack: the compose file tree, and per service its environment and image (what the override
   * files compare).
   */
  record Stack(Map<String, Object> file, Map<String, Map<String, String>> environments,
      Map<String, String> images) {}

  private final Generation g;
  private final EffectiveConfig c;
  private final Variables vars;
  private final Map<String, Map<String, String>> envs = new LinkedHashMap<>();
  private final Map<String, String> images = new LinkedHashMap<>();

  private ComposeServices(Generation g, EffectiveConfig c) {
    this.g = g;
    this.c = c;
    this.vars = g.vars;
  }

  /** Checks {@code c}, then builds its stack. */
  static Stack stack(Generation g, EffectiveConfig c) {
    ComposeChecks.check(g, c);
    return new ComposeServices(g, c).build();
  }

  private Stack build() {
    boolean db = c.database().enabled();
    boolean cache = c.cache().enabled();
    boolean tools = c.compose().tools();
    Map<String, Object> services = new LinkedHashMap<>();
    services.put(c.service().name(), app());
    if (db) {
      services.put(MIGRATE, migrate());
      services.put(POSTGRES, postgres());
    }
    if (cache) {
      services.put(REDIS, redis());
    }
    if (db && tools) {
      services.put(DATABASE_UI, databaseUi());
    }
    if (cache && tools) {
      services.put(REDIS_UI, redisUi());
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("services", services);
    Map<String, Object> volumes = volumes();
    if (!volumes.isEmpty()) {
      file.put("volumes", volumes);
    }
    return new Stack(file, envs, images);
  }

  /** The service itself: its image, environment, ports, volumes, health check and start order. */
  private Map<String, Object> app() {
    ServiceConfig svc = c.service();
    Map<String, Object> app = new LinkedHashMap<>();
    image(app, true);
    Map<String, String> appEnv = appEnvironment();
    envs.put(svc.name(), appEnv);
    app.put("environment", appEnv);
    List<String> ports = new ArrayList<>();
    ports.add(vars.ref(APP_PORT_VARIABLE, String.valueOf(appHostPort(c))) + ":" + svc.port());
    for (ServiceConfig.PortSpec p : svc.ports()) {
      ports.add(vars.ref(extraPortVariable(p), String.valueOf(p.number())) + ":" + p.number()
          + (p.protocol().equals("TCP") ? "" : "/" + p.protocol().toLowerCase(Locale.ROOT)));
    }
    app.put("ports", ports);
    if (!svc.volumes().isEmpty()) {
      List<String> mounts = new ArrayList<>();
      for (ServiceConfig.VolumeSpec v : svc.volumes()) {
        mounts.add(v.name() + ":" + EnvValues.Syntax.COMPOSE.escape(v.mountPath()));
      }
      app.put("volumes", mounts);
    }
    app.put("healthcheck", appHealthcheck());
    if (svc.framework().framework() != Framework.PLAIN) {
      app.put("stop_grace_period", (SHUTDOWN_SECONDS + 5) + "s");
    }
    Map<String, Object> dependsOn = new LinkedHashMap<>();
    if (c.database().enabled()) {
      dependsOn.put(POSTGRES, condition("service_healthy"));
      dependsOn.put(MIGRATE, condition("service_completed_successfully"));
    }
    if (c.cache().enabled()) {
      dependsOn.put(REDIS, condition("service_healthy"));
    }
    if (!dependsOn.isEmpty()) {
      app.put("depends_on", dependsOn);
    }
    return app;
  }

  /**
   * The app's health check: the profile's readiness probe (what Kubernetes routes traffic on), run by the in-image
   * probe ({@link ImageLayout#healthCheckCommand}) on the port that serves it: an HTTP GET of its path, or for a
   * service without a health endpoint a TCP connect to its port (the image has no shell or curl; the probe does
   * both). A framework's start takes longer than a plain service's (Spring Boot took about two minutes on a loaded
   * machine), hence its longer start period. {@code <compose><startPeriod>} sets it for a service known to start
   * faster (or slower): failed checks within it do not count, so a broken service is reported only after it.
   */
  private Map<String, Object> appHealthcheck() {
    ServiceConfig svc = c.service();
    FrameworkProfile profile = svc.framework().profile();
    io.github.devplugin.framework.Probe ready = profile.readiness();
    if (!ready.isHttp()) {
      g.noteOnce("TCP health check", "The service " + svc.name() + " has no health endpoint (" + svc.framework()
          .framework().label() + " without its health extension): its compose health check only connects to"
          + " port " + ready.port(svc.port(), profile.managementPort()) + " (TCP).");
    }
    boolean plain = svc.framework().framework() == Framework.PLAIN;
    Integer startPeriod = c.compose().startPeriod();
    return healthcheck(ImageLayout.healthCheckCommand(ready.port(svc.port(), profile.managementPort()), ready),
        "10s", "5s", 6, startPeriod != null ? startPeriod + "s" : plain ? "90s" : "180s");
  }

  /** The one-shot migration: the service's own image with the migrator's command. */
  private Map<String, Object> migrate() {
    Map<String, Object> migrate = new LinkedHashMap<>();
    image(migrate, false);
    migrate.put("entrypoint", literals(ImageLayout.migrateCommand()));
    Map<String, String> migrateEnv = new LinkedHashMap<>();
    // the migrator's own contract (db.MigratorMain), whatever names the service reads
    databaseEnvironment(migrateEnv, "DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD");
    // where the image's layout keeps the app's migrations (Quarkus' fast-jar: in the app's jar)
    migrateEnv.putAll(ImageLayout.migrateEnvironment(c.service().framework().profile().launch().kind()));
    envs.put(MIGRATE, migrateEnv);
    migrate.put("environment", migrateEnv);
    migrate.put("depends_on", Map.of(POSTGRES, condition("service_healthy")));
    // a one-shot job: its exit code is its health (service_completed_successfully); the image's own health
    // check probes the service's HTTP port, which the migrator never opens
    migrate.put("healthcheck", Map.of("disable", true));
    migrate.put("restart", "no");
    return migrate;
  }

  private Map<String, Object> postgres() {
    ComposeSettings cs = c.compose();
    Map<String, Object> pg = new LinkedHashMap<>();
    pg.put("image", cs.postgresImage());
    images.put(POSTGRES, cs.postgresImage());
    Map<String, String> pgEnv = new LinkedHashMap<>();
    pgEnv.put("POSTGRES_DB", vars.ref("POSTGRES_DB", c.database().name()));
    pgEnv.put("POSTGRES_USER", vars.ref("POSTGRES_USER", c.database().user()));
    pgEnv.put("POSTGRES_PASSWORD", vars.secretRef(passwordVariable(c)));
    envs.put(POSTGRES, pgEnv);
    pg.put("environment", pgEnv);
    pg.put("volumes", List.of(POSTGRES_VOLUME + ":" + postgresDataPath(cs)));
    // over TCP: the official entrypoint's first-run server listens on the socket only, so the check does not
    // pass before initialisation is over; a cold initdb takes a while, hence the long start period
    pg.put("healthcheck", healthcheck(List.of("pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U",
        vars.ref("POSTGRES_USER", c.database().user()), "-d", vars.ref("POSTGRES_DB", c.database().name())),
        "5s", "5s", 10, "60s", true));
    return pg;
  }

  private Map<String, Object> redis() {
    ComposeSettings cs = c.compose();
    Map<String, Object> redis = new LinkedHashMap<>();
    redis.put("image", cs.redisImage());
    images.put(REDIS, cs.redisImage());
    redis.put("volumes", List.of(REDIS_VOLUME + ":/data"));
    redis.put("healthcheck", healthcheck(List.of("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"), "5s",
        "3s", 10, "20s"));
    return redis;
  }

  /** Adminer, in the {@code tools} profile. */
  private Map<String, Object> databaseUi() {
    ComposeSettings cs = c.compose();
    // Adminer's image has PHP but neither curl nor wget
    return toolUi(DATABASE_UI, cs.databaseUiImage(), ordered("ADMINER_DEFAULT_SERVER", POSTGRES),
        vars.ref("DATABASE_UI_PORT", String.valueOf(cs.databaseUiPort())), 8080, healthcheck(List.of("php", "-r",
            "exit(@file_get_contents('http://127.0.0.1:8080/') === false ? 1 : 0);"), "10s", "5s", 5, "20s"),
        POSTGRES);
  }

  /** Redis Insight, in the {@code tools} profile. */
  private Map<String, Object> redisUi() {
    ComposeSettings cs = c.compose();
    Map<String, String> uiEnv = new LinkedHashMap<>();
    uiEnv.put("RI_REDIS_HOST", REDIS);
    uiEnv.put("RI_REDIS_PORT", "6379");
    // Redis Insight's image runs on Node.js; node itself is the probe
    return toolUi(REDIS_UI, cs.redisUiImage(), uiEnv, vars.ref("REDIS_UI_PORT", String.valueOf(cs.redisUiPort())),
        5540, healthcheck(List.of("node", "-e", "require('http').get('http://127.0.0.1:5540/', r =>"
            + " process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))"), "10s", "5s", 5,
            "30s"), REDIS);
  }

  /**
   * A UI of the {@code tools} profile: published on 127.0.0.1 only (host port {@code hostPortRef}), started once
   * {@code dependsOn} is healthy.
   */
  private Map<String, Object> toolUi(String name, String image, Map<String, ?> environment, String hostPortRef,
      int containerPort, Map<String, Object> healthcheck, String dependsOn) {
    Map<String, Object> ui = new LinkedHashMap<>();
    ui.put("image", image);
    images.put(name, image);
    ui.put("profiles", List.of(TOOLS_PROFILE));
    ui.put("environment", environment);
    ui.put("ports", List.of("127.0.0.1:" + hostPortRef + ":" + containerPort));
    ui.put("healthcheck", healthcheck);
    ui.put("depends_on", Map.of(dependsOn, condition("service_healthy")));
    return ui;
  }

  private Map<String, Object> volumes() {
    Map<String, Object> volumes = new LinkedHashMap<>();
    if (c.database().enabled()) {
      volumes.put(POSTGRES_VOLUME, Map.of());
    }
    if (c.cache().enabled()) {
      volumes.put(REDIS_VOLUME, Map.of());
    }
    for (ServiceConfig.VolumeSpec v : c.service().volumes()) {
      volumes.put(v.name(), Map.of());
    }
    return volumes;
  }

  /**
   * The image of the app and of {@code migrate}: the one {@code devplugin:image} recorded, else built from the
   * Dockerfile's {@code dev} target. {@code app}: record it and note for the log what the user must do first.
   */
  private void image(Map<String, Object> service, boolean app) {
    ImageRecord image = g.in.image();
    if (image != null && image.reference() != null) {
      service.put("image", EnvValues.Syntax.COMPOSE.escape(image.reference()));
      if (app) {
        images.put(c.service().name(), image.reference());
        if ("tar".equals(image.target())) {
          g.noteOnce("docker load", "The image " + image.reference() + " was written as a tar (" + image.tarFile()
              + "); load it into the engine before starting the stack: docker load -i " + image.tarFile()
              + " (or build it to a registry or the engine with <image><target>).");
        }
      }
      return;
    }
    Map<String, Object> build = new LinkedHashMap<>();
    build.put("context", g.relative(c.project().basedir().resolve(ComposeGenerator.DOCKER_CONTEXT)));
    build.put("dockerfile", "Dockerfile");
    build.put("target", ComposeGenerator.BASE_ENVIRONMENT);
    service.put("build", build);
    if (app) {
      String dockerfile = ComposeGenerator.DOCKERFILE;
      java.nio.file.Path recordFile = ImageRecord.file(c.project().devpluginDirectory());
      ImageRecord other = ImageRecord.read(recordFile).orElse(null);
      String found = other == null
          ? "No image built by devplugin:image (" + recordFile + " is absent)"
          : other.isFor(ComposeGenerator.BASE_ENVIRONMENT) ? recordFile + " names no image the stack can run"
          : recordFile + " holds the image devplugin:image built for the environment '" + other.environment()
              + "' (" + other.reference() + "), not for '" + ComposeGenerator.BASE_ENVIRONMENT + "', which the"
              + " compose stack runs; it is not used. To run the image instead, build it for '"
              + ComposeGenerator.BASE_ENVIRONMENT + "' (devplugin:image without -Ddevplugin.env) before"
              + " devplugin:compose";
      g.noteOnce(dockerfile, found + ": the service is built from " + dockerfile + " (its '"
          + ComposeGenerator.BASE_ENVIRONMENT + "' target)."
          + (Files.isRegularFile(c.project().basedir().resolve(dockerfile)) ? ""
              : " That Dockerfile does not exist yet: run devplugin:dockerfile (or devplugin:image) before"
                  + " docker compose up."));
    }
  }

  /**
   * The service's environment: the profile's service environment (port, framework settings, {@code <service><env>})
   * and the connection values, each under the profile's names ({@code <service><variables>}), then the secrets.
   * A reference in {@code <service><env>} to a value the service receives becomes that value (as in Kubernetes);
   * a reference to a declared compose variable stays one; any other is refused.
   */
  private Map<String, String> appEnvironment() {
    ServiceConfig svc = c.service();
    io.github.devplugin.framework.Variables names = svc.framework().profile().variables();
    String suffix = ComposeChecks.suffix(c);
    Map<String, String> connection = new LinkedHashMap<>();
    if (c.database().enabled()) {
      databaseEnvironment(connection, names.databaseUrl(), names.databaseUser(), names.databasePassword());
    }
    if (c.cache().enabled()) {
      putIfNamed(connection, names.redisUrl(), "redis://" + REDIS + ":6379");
      putIfNamed(connection, names.redisHost(), REDIS);
      putIfNamed(connection, names.redisPort(), "6379");
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    for (SecretSpec s : c.secrets()) {
      secrets.put(s.name(), s.optional() ? vars.optionalSecretRef(s.name()) : vars.secretRef(s.name()));
    }
    Map<String, String> service = svc.framework().profile().serviceEnvironment(svc.port(), c.database().enabled(),
        SHUTDOWN_SECONDS, svc.env());
    Map<String, String> known = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : service.entrySet()) {
      if (!svc.env().containsKey(e.getKey())) {
        known.put(e.getKey(), EnvValues.Syntax.COMPOSE.escape(e.getValue()));
      }
    }
    known.putAll(connection);
    known.putAll(secrets);
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : service.entrySet()) {
      if (!svc.env().containsKey(e.getKey())) {
        env.put(e.getKey(), EnvValues.Syntax.COMPOSE.escape(e.getValue()));
        continue;
      }
      String element = "<service><env><" + e.getKey() + ">" + suffix;
      env.put(e.getKey(), EnvValues.Value.parse(e.getValue()).render(EnvValues.Syntax.COMPOSE, r -> {
        String ref = r.name();
        String token = r.token();
        if (known.containsKey(ref)) {
          return known.get(ref);
        }
        if (!vars.isDeclared(ref, c)) {
          g.problem(element, "references ${" + ref + "}, which is not declared (compose would substitute an empty"
              + " string).", "refer to a value devplugin gives the service (" + String.join(", ", known.keySet())
              + "), or declare it: <compose><variables><variable><name>" + ref + "</name><value>default</value>"
              + "<description>...</description></variable></variables> (or under <secrets> when it is"
              + " secret), or write $$ for a literal dollar sign.");
        }
        return token;
      }));
    }
    env.putAll(connection);
    env.putAll(secrets);
    return env;
  }

  private static void putIfNamed(Map<String, String> env, String name, String value) {
    if (name != null) {
      env.put(name, value);
    }
  }

  /** The database under the given names (a null name: not given); the migrator's contract for {@code migrate}. */
  private void databaseEnvironment(Map<String, String> env, String url, String user, String password) {
    putIfNamed(env, url, "jdbc:postgresql://" + POSTGRES + ":5432/" + vars.ref("POSTGRES_DB", c.database().name()));
    putIfNamed(env, user, vars.ref("POSTGRES_USER", c.database().user()));
    putIfNamed(env, password, vars.secretRef(passwordVariable(c)));
  }

  // ---------------------------------------------------------------------------------------------------------------

  static final String APP_PORT_VARIABLE = "APP_PORT";

  /**
   * The graceful shutdown time given to the framework ({@code FrameworkProfile.shutdownTimeoutVariable}); the app's
   * {@code stop_grace_period} leaves 5 s more for the JVM to exit (Compose's default is 10 s, then SIGKILL).
   */
  static final int SHUTDOWN_SECONDS = Profiles.SHUTDOWN_SECONDS;

  static int appHostPort(EffectiveConfig c) {
    return c.compose().appPort() != null ? c.compose().appPort() : c.service().port();
  }

  private static String extraPortVariable(ServiceConfig.PortSpec p) {
    return "APP_" + p.name().toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
  }

  /** The variable holding the database password: the declared secret, else DATABASE_PASSWORD. */
  static String passwordVariable(EffectiveConfig c) {
    return c.database().passwordSecret() != null ? c.database().passwordSecret() : "DATABASE_PASSWORD";
  }

  /**
   * The mount point of PostgreSQL's volume: the official images keep their data in
   * {@code /var/lib/postgresql/data} up to 17 and in a versioned directory below {@code /var/lib/postgresql} from 18
   * on, each declaring that directory as the image's volume.
   */
  static String postgresDataPath(ComposeSettings cs) {
    if (cs.postgresDataPath() != null) {
      return cs.postgresDataPath();
    }
    try {
      String tag = ImageReference.parse(cs.postgresImage()).getTag().orElse("");
      Matcher m = Pattern.compile("^(\\d+)").matcher(tag);
      if (m.find() && Integer.parseInt(m.group(1)) < 18) {
        return "/var/lib/postgresql/data";
      }
    } catch (InvalidImageReferenceException | NumberFormatException e) {
      // validated in ComposeSettings; fall through to the current layout
    }
    return "/var/lib/postgresql";
  }
}
