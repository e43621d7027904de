package io.github.devplugin.config;

import io.github.devplugin.core.Problem;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code <compose>} element: the local environment that {@code devplugin:compose} generates.
 *
 * @param postgresImage PostgreSQL image of the local environment (an official-image compatible one)
 * @param redisImage Redis image of the local environment
 * @param databaseUiImage the database UI of the {@code tools} profile (Adminer)
 * @param redisUiImage the Redis UI of the {@code tools} profile (Redis Insight)
 * @param outputDirectory where {@code docker-compose.yml} and its companions are written
 * @param projectName the Compose project name (prefix of containers, networks, volumes); null: the service name
 * @param appPort host port of the service's HTTP port; null: the same number as {@code <service><port>}
 * @param debugPort JDWP port of the {@code dev} environment, inside the container and on the host
 * @param postgresPort host port PostgreSQL is published on in {@code dev}
 * @param redisPort host port Redis is published on in {@code dev}
 * @param databaseUiPort host port of the database UI
 * @param redisUiPort host port of the Redis UI
 * @param postgresDataPath where the PostgreSQL volume is mounted; null: derived from the image's major version
 *     ({@code /var/lib/postgresql} from 18 on, {@code /var/lib/postgresql/data} before)
 * @param debug whether {@code dev} starts the service with a JDWP agent on {@code debugPort}
 * @param mountClasses whether {@code dev} mounts the built classes and resources over the image's
 * @param tools whether the stack has the database and Redis UIs (in the {@code tools} profile)
 * @param restart restart policy of the long-running services in this environment's override file; null: none in
 *     {@code dev}, {@code unless-stopped} elsewhere
 * @param variables extra {@code ${VAR}} variables the service's {@code <env>} values may reference, sorted by name
 * @param command the compose implementation {@code devplugin:up} and {@code devplugin:down} run: {@code auto}
 *     (the first that works of {@code docker compose}, {@code podman compose}, {@code docker-compose}), or one of them
 * @param randomPorts whether {@code devplugin:up} publishes every host port on a free port instead of the defaults
 * @param upTimeout seconds {@code devplugin:up} waits for the stack to become healthy
 * @param startPeriod seconds of the service's health-check start period (failed checks before its end do not count);
 *     null: the framework's default ({@code ComposeServices})
 */
public record ComposeSettings(String postgresImage, String redisImage, String databaseUiImage, String redisUiImage,
    String outputDirectory, String projectName, Integer appPort, int debugPort, int postgresPort, int redisPort,
    int databaseUiPort, int redisUiPort, String postgresDataPath, boolean debug, boolean mountClasses, boolean tools,
    String restart, List<Variable> variables, String command, boolean randomPorts, int upTimeout,
    Integer startPeriod) {

  /** Current official images, pinned to a release (override them to pin a digest or use a mirror). */
  public static final String DEFAULT_POSTGRES_IMAGE = "postgres:18.1-alpine";

  /** Host port of PostgreSQL in dev: not 5432, where a developer's own PostgreSQL listens. */
  public static final int DEFAULT_POSTGRES_PORT = 15432;
  public static final String DEFAULT_REDIS_IMAGE = "redis:8.2.2-alpine";
  public static final String DEFAULT_DATABASE_UI_IMAGE = "adminer:5.4.1";
  public static final String DEFAULT_REDIS_UI_IMAGE = "redis/redisinsight:2.70.0";

  /** The values of {@code <compose><command>}, {@code auto} first; the others in the order {@code auto} tries them. */
  public static final List<String> COMMANDS = List.of("auto", "docker", "podman", "docker-compose");

  public static final List<String> RESTART_POLICIES = List.of("no", "always", "on-failure", "unless-stopped");

  private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /**
   * A variable the compose files may reference, listed in {@code .env.example}.
   *
   * @param value the default written to {@code .env.example} (and used when {@code .env} does not set it)
   * @param description the comment above it in {@code .env.example}
   * @param location the POM element that declares it
   */
  public record Variable(String name, String value, String description, String location) {}

  public ComposeSettings {
    variables = List.copyOf(variables);
  }

  static ComposeSettings from(Section s, ProjectInfo project) {
    String postgres = image(s, "postgresImage", DEFAULT_POSTGRES_IMAGE);
    String redis = image(s, "redisImage", DEFAULT_REDIS_IMAGE);
    String databaseUi = image(s, "databaseUiImage", DEFAULT_DATABASE_UI_IMAGE);
    String redisUi = image(s, "redisUiImage", DEFAULT_REDIS_UI_IMAGE);
    String out = s.string("outputDirectory", project.devpluginDirectory().resolve("compose").toString());
    String projectName = s.string("projectName", null);
    if (projectName != null && !PROJECT_NAME.matcher(projectName).matches()) {
      s.problem("projectName", "'" + projectName + "' is not a valid Compose project name (lower case letters,"
          + " digits, '-' and '_', starting with a letter or digit).",
          "use e.g. <projectName>" + Names.toDnsLabel(projectName) + "</projectName>.");
    }
    Integer appPort = s.isSet("appPort") ? s.integer("appPort", 8080, 1, 65535) : null;
    int debugPort = s.integer("debugPort", 5005, 1, 65535);
    // not 5432: a PostgreSQL of the developer's own listens there
    int postgresPort = s.integer("postgresPort", DEFAULT_POSTGRES_PORT, 1, 65535);
    int redisPort = s.integer("redisPort", 6379, 1, 65535);
    int databaseUiPort = s.integer("databaseUiPort", 8081, 1, 65535);
    int redisUiPort = s.integer("redisUiPort", 5540, 1, 65535);
    String postgresDataPath = s.string("postgresDataPath", null);
    if (postgresDataPath != null && !postgresDataPath.startsWith("/")) {
      s.problem("postgresDataPath", "'" + postgresDataPath + "' is not an absolute path in the container.",
          "use e.g. <postgresDataPath>/var/lib/postgresql/data</postgresDataPath>.");
      postgresDataPath = null;
    }
    boolean debug = s.bool("debug", true);
    boolean mountClasses = s.bool("mountClasses", true);
    boolean tools = s.bool("tools", true);
    String restart = s.string("restart", null);
    if (restart != null && !RESTART_POLICIES.contains(restart) && !restart.matches("on-failure:[1-9][0-9]*")) {
      s.problem("restart", "'" + restart + "' is not a Compose restart policy.",
          "use one of " + String.join(", ", RESTART_POLICIES) + " (or on-failure:N).");
      restart = null;
    }
    List<Variable> variables = new ArrayList<>();
    for (Section v : s.keyed("variables", "variable", "name")) {
      String name = v.string("name", null);
      String value = v.string("value", "");
      String description = v.string("description", null);
      if (!Names.isEnvVarName(name)) {
        v.problem("name", "'" + name + "' is not a valid variable name.",
            "use letters, digits and '_', not starting with a digit, e.g. API_BASE_URL.");
        continue;
      }
      if (Names.looksSecret(name) && !value.isEmpty()) {
        v.problem("value", "variable '" + name + "' looks like a secret and would be written in clear to"
            + " .env.example.", "remove <value> and declare it under <secrets><secret><name>" + name
            + "</name><env>VARIABLE</env></secret></secrets>; secrets are listed in .env.example without a value.");
        continue;
      }
      java.util.Optional<String> control = io.github.devplugin.framework.EnvValues.controlCharacter(value);
      if (control.isPresent()) {
        v.problem("value", "variable '" + name + "' holds " + control.get() + ", which .env files cannot hold.",
            io.github.devplugin.framework.EnvValues.CONTROL_FIX);
        continue;
      }
      variables.add(new Variable(name, value, description, v.element()));
    }
    variables.sort(java.util.Comparator.comparing(Variable::name));
    String command = s.string("command", "auto");
    if (!COMMANDS.contains(command)) {
      s.problem("command", "'" + command + "' is not a compose implementation devplugin knows.",
          "use one of " + String.join(", ", COMMANDS) + " (auto tries the others in this order).");
      command = "auto";
    }
    boolean randomPorts = s.bool("randomPorts", false);
    int upTimeout = s.integer("upTimeout", 300, 1, 86400);
    Integer startPeriod = s.isSet("startPeriod") ? s.integer("startPeriod", 90, 0, 3600) : null;
    return new ComposeSettings(postgres, redis, databaseUi, redisUi, out, projectName, appPort, debugPort,
        postgresPort, redisPort, databaseUiPort, redisUiPort, postgresDataPath, debug, mountClasses, tools,
        restart, variables, command, randomPorts, upTimeout, startPeriod);
  }

  /** An image reference, checked with jib-core's parser (the one the image goal uses). */
  private static String image(Section s, String key, String defaultValue) {
    String value = s.string(key, defaultValue);
    if (value == null || value.equals(defaultValue)) {
      return value;
    }
    String problem = imageProblem(value);
    if (problem != null) {
      s.problem(key, "'" + value + "' is not a valid image reference: " + problem,
          "write it as [registry/]repository[:tag][@sha256:digest] in lower case, e.g. <" + key + ">"
              + defaultValue + "</" + key + ">.");
      return defaultValue;
    }
    return value;
  }

  /** Why {@code reference} is not a valid image reference, or null when it is. */
  public static String imageProblem(String reference) {
    if (reference.isBlank() || !reference.equals(reference.trim())) {
      return "it is empty or has surrounding spaces.";
    }
    if (reference.contains("${")) {
      return "variables are not allowed here.";
    }
    try {
      ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      return reference.toLowerCase(Locale.ROOT).equals(reference) ? "it does not follow the reference grammar."
          : "repositories must be lower case.";
    }
    return null;
  }
}
