package io.github.devplugin.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key devplugin reads, declared once: its path, type, default, per-environment behaviour and a
 * one-line description. {@link Section} refuses to read a key that is not declared here and reports an element as
 * unknown when no key of its section declares it, so the reference generated from this table
 * ({@link ConfigReference}: the plugin site's page and {@code devplugin:help -Ddetail}) cannot drift from what the
 * loader accepts. The {@code -D} property of a key comes from {@link OverrideProperties}.
 *
 * <p>Paths are dotted ({@code image.to}); the entries of a keyed list are written {@code service.ports[].number}.
 */
public final class ConfigKeys {
  /** How a key is written in the POM. */
  public enum Type {
    STRING("text"),
    INTEGER("whole number"),
    BOOLEAN("true or false"),
    CHOICE("one of"),
    QUANTITY("Kubernetes quantity"),
    LIST("list"),
    MAP("names to values"),
    ENTRIES("entries"),
    SECTION("nested elements");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One declared key.
   *
   * @param path dotted path, {@code []} after a keyed list ({@code service.ports[].number})
   * @param type how it is written
   * @param item the element of each list or entry ({@code tag}, {@code port}), else null
   * @param id the element naming an entry of an {@link Type#ENTRIES} key ({@code number}), else null
   * @param choices the values of a {@link Type#CHOICE} key, else empty
   * @param defaultValue the default, as a user reads it (may depend on the project or environment)
   * @param environments how environments treat it where that differs from the overlay rule of its type, else null
   * @param description one line
   */
  public record Key(String path, Type type, String item, String id, List<String> choices, String defaultValue,
      String environments, String description) {

    /** The last part of the path: the element name. */
    public String name() {
      String p = path.endsWith("[]") ? path.substring(0, path.length() - 2) : path;
      return p.substring(p.lastIndexOf('.') + 1);
    }

    /** The key's parent path ({@code service.ports[]} for {@code service.ports[].number}), "" at the top. */
    public String parent() {
      int dot = path.lastIndexOf('.');
      return dot < 0 ? "" : path.substring(0, dot);
    }

    /** The {@code -D} property that overrides it, if any. */
    public Optional<String> property() {
      return OverrideProperties.property(path);
    }

    /** How an environment overlay treats it: the explicit behaviour, else the rule of its type. */
    public String environmentBehaviour() {
      String rule = switch (type) {
        case LIST -> "an overlay replaces the whole list";
        case MAP -> "merged by name; remove=\"true\" deletes an inherited entry";
        case ENTRIES -> "merged by <" + id + ">; remove=\"true\" deletes an inherited entry";
        case SECTION -> "merged key by key";
        default -> "an overlay overrides it";
      };
      return environments == null ? rule : environments + "; " + rule;
    }

    /** The POM element, e.g. {@code <service><ports><port><number>}. */
    public String element() {
      StringBuilder sb = new StringBuilder();
      String[] parts = path.split("\\.");
      String prefix = "";
      for (String part : parts) {
        prefix = prefix.isEmpty() ? part : prefix + "." + part;
        if (part.endsWith("[]")) {
          String name = part.substring(0, part.length() - 2);
          Key list = KEYS.get(prefix.substring(0, prefix.length() - 2));
          sb.append('<').append(name).append("><").append(list.item()).append('>');
        } else {
          sb.append('<').append(part).append('>');
        }
      }
      return sb.toString();
    }
  }

  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  static {
    section("service", "The service: its name, port, environment, resources, replicas, volumes and ingress.");
    string("service.name", "the artifactId", "DNS label naming the image, Kubernetes objects and compose service.");
    string("service.version", "the project version", "The version label and default tag.");
    integer("service.port", "8080", "The HTTP port (1-65535); the service receives it as PORT (or its framework's"
        + " name).");
    string("service.healthPath", "/health (the framework's endpoints when detected)",
        "HTTP path of the readiness/health endpoint of a plain service.");
    string("service.mainClass", "from the jar manifest or the framework's build plugin", "The class java runs.");
    choice("service.framework", List.of("auto", "spring-boot", "quarkus", "micronaut", "plain"), "auto",
        "The framework that decides probes, variable names and the image layout; auto detects it from the"
            + " dependencies, build plugins and parent.");
    list("service.jvmFlags", "jvmFlag", "none", "Flags passed to java.");
    map("service.env", "none", "Plain environment variables by name (<LOG_LEVEL>info</LOG_LEVEL>); names that look"
        + " secret (*PASSWORD*, *TOKEN*, *SECRET*, *API_KEY*) are refused: declare them under <secrets>.");
    entries("service.ports", "port", "number", "none", "Extra ports of the service (container ports, Service ports,"
        + " compose).");
    integer("service.ports[].number", "required", "The port number (1-65535).");
    string("service.ports[].name", "none", "IANA port name, at most 15 characters.");
    string("service.ports[].protocol", "TCP", "TCP, UDP or SCTP.");
    section("service.resources", "CPU and memory requests and limits (a request above its limit is an error).");
    section("service.resources.requests", "What the service is guaranteed.");
    quantity("service.resources.requests.cpu", "100m", "CPU request, e.g. 250m, 0.5 or 2.");
    quantity("service.resources.requests.memory", "256Mi", "Memory request, e.g. 256Mi or 1Gi.");
    section("service.resources.limits", "What the service may use at most.");
    quantity("service.resources.limits.cpu", "1", "CPU limit; it also scales the framework's startup time.");
    quantity("service.resources.limits.memory", "512Mi", "Memory limit.");
    integer("service.replicas", "1", "Desired replicas (0-1000).");
    section("service.autoscaling", "A HorizontalPodAutoscaler on CPU.");
    bool("service.autoscaling.enabled", "false", "Generate the HorizontalPodAutoscaler.");
    integer("service.autoscaling.minReplicas", "max(1, replicas)", "Lowest replica count (1-1000).");
    integer("service.autoscaling.maxReplicas", "3 x max(minReplicas, replicas)", "Highest replica count (1-1000).");
    integer("service.autoscaling.targetCpuUtilization", "75", "Target average CPU utilisation in percent (1-100).");
    entries("service.volumes", "volume", "name", "none", "Persistent volumes (a PVC each) mounted into the"
        + " service; their mount paths are writable in the image.");
    string("service.volumes[].name", "required", "DNS label naming the volume and its PersistentVolumeClaim.");
    string("service.volumes[].mountPath", "required", "Absolute path the volume is mounted at.");
    quantity("service.volumes[].size", "1Gi", "Requested storage.");
    string("service.volumes[].storageClass", "the cluster's default", "StorageClass of the claim.");
    string("service.volumes[].accessMode", "ReadWriteOnce", "Access mode of the claim.");
    section("service.ingress", "An Ingress for the service; setting host enables it.");
    bool("service.ingress.enabled", "true when host is set", "Generate the Ingress.");
    string("service.ingress.host", "none", "Host name the Ingress routes.");
    string("service.ingress.path", "/", "Path the Ingress routes.");
    string("service.ingress.className", "the cluster's default", "IngressClass name.");
    string("service.ingress.tlsSecret", "none", "Secret holding the TLS certificate; enables TLS.");
    section("service.variables", "Renames the environment variables through which the service receives its"
        + " settings (defaults: the framework's names).");
    string("service.variables.port", "PORT or the framework's name", "Variable of the HTTP port.");
    string("service.variables.databaseUrl", "DATABASE_URL or the framework's name", "Variable of the JDBC URL.");
    string("service.variables.databaseUser", "DATABASE_USER or the framework's name", "Variable of the database"
        + " user.");
    string("service.variables.databasePassword", "DATABASE_PASSWORD or the framework's name", "Variable of the"
        + " database password.");
    string("service.variables.redisUrl", "REDIS_URL or the framework's name", "Variable of the Redis URL.");
    string("service.variables.redisHost", "the framework's name", "Variable of the Redis host.");
    string("service.variables.redisPort", "the framework's name", "Variable of the Redis port.");

    section("image", "The container image built by devplugin:image and described by devplugin:dockerfile.");
    string("image.from", "eclipse-temurin:<release>-jre (the project's Java release: 17, 21 or 25)",
        "Base image: a registry reference (pin it with @sha256:...), tar:///abs/path.tar (a Docker-format tar),"
            + " docker://name:tag (an image of the local engine, exported through its API), or jlink (the JDK"
            + " running Maven, linked with jlinkModules); a Java release newer than 25 fails naming <from>.");
    string("image.to", "none", "Target repository, optionally with a tag: registry.example.com/team/notes[:tag].");
    choice("image.target", List.of("registry", "tar", "engine"), "registry when to is set, else tar",
        "Where the image goes.");
    choice("image.format", List.of("docker", "oci"), "docker", "Manifest format (multi-platform tars are always"
        + " OCI).");
    list("image.tagStrategy", "strategy", "version", "Tags derived from the build: version, git-sha (<sha>-dirty"
        + " with uncommitted changes), latest.");
    list("image.tags", "tag", "none", "Extra tags.");
    bool("image.allowMutableTags", "false in prod, else true", "false refuses latest and -SNAPSHOT tags.");
    keyEnv("image.allowMutableTags", "false in prod");
    list("image.platforms", "platform", "linux/amd64", "Platforms; several give an image index; the base must"
        + " offer them.");
    string("image.user", "10001", "Numeric uid or uid:gid the service runs as; 0 is refused.");
    list("image.writableDirectories", "directory", "none", "Directories created owned by the user (every"
        + " <service><volumes> mount path is added); everything else is root-owned and read-only.");
    list("image.extraDirectories", "directory", "src/main/image", "Directories copied to the image root,"
        + " root-owned (a file its owner may execute becomes 755, any other 644, directories 755); each entry, and"
        + " every symbolic link below it, must resolve inside the project; a missing entry fails (only the default"
        + " may be absent).");
    list("image.allowOutsideProject", "directory", "none", "Entries of extraDirectories that may lie outside the"
        + " project directory (logged as a warning).");
    map("image.labels", "the OCI labels", "Extra labels by name; they override the"
        + " org.opencontainers.image.* labels (title, version, revision from git, source, url, licenses,"
        + " description).");
    bool("image.insecure", "unset: plain HTTP only on loopback", "true allows plain-HTTP registries, false refuses"
        + " them everywhere.");
    string("image.serverId", "the registry's host[:port]", "settings.xml server with the target registry's"
        + " credentials.");
    string("image.fromServerId", "the registry's host[:port]", "settings.xml server with the base registry's"
        + " credentials.");
    string("image.credHelper", "none", "A Docker credential helper (ecr-login, docker-credential-gcr, or a path).");
    string("image.tarFile", "target/devplugin/image.tar", "The file the tar target writes.");
    string("image.dockerHost", "found as the docker CLI and podman find it", "The Docker Engine API of the engine"
        + " target (Podman: unix://$XDG_RUNTIME_DIR/podman/podman.sock).");
    list("image.jlinkModules", "module", "java.se, jdk.crypto.ec, jdk.httpserver, jdk.jdwp.agent, jdk.jfr,"
        + " jdk.management, jdk.unsupported, jdk.zipfs", "Modules of the jlink base.");
    section("image.dockerfile", "How devplugin:dockerfile writes the Dockerfile.");
    choice("image.dockerfile.mode", List.of("staged", "source"), "staged", "staged copies layers the build"
        + " prepared; source builds the project inside the Dockerfile.");
    string("image.dockerfile.file", DockerfileSettings.DEFAULT_FILE, "Where the source mode's Dockerfile is"
        + " written (inside the project, the build context).");
    string("image.dockerfile.builderImage", DockerfileSettings.DEFAULT_BUILDER_IMAGE, "The Maven image of the source"
        + " mode's build stage.");
    bool("image.dockerfile.skipTests", "true", "The source mode's build skips tests.");
    section("image.scan", "How devplugin:scan gates the image (SBOM, vulnerabilities, secrets).");
    bool("image.scan.enabled", "true in prod, else false", "Run the scan.");
    keyEnv("image.scan.enabled", "true in prod");
    string("image.scan.database", "none (secret scan only)", "Offline OSV database relative to the project: a"
        + " directory of OSV JSON records, an all.zip export, or a directory of such zips.");
    string("image.scan.failOn", "HIGH", "Lowest severity that fails the build: LOW, MEDIUM, HIGH, CRITICAL, or"
        + " UNKNOWN (every advisory).");
    string("image.scan.allowList", ScanSettings.DEFAULT_ALLOW_LIST + " when it exists", "Allow-list file"
        + " (<id> <YYYY-MM-DD> <reason> per line).");

    section("database", "The PostgreSQL database and its Flyway migrations.");
    bool("database.enabled", "true when src/main/resources/db/migration exists or locations is set",
        "Whether the service has a database.");
    string("database.url", "none", "JDBC URL (jdbc:postgresql://HOST:5432/DB); a password= in it is refused.");
    string("database.name", "the service name with _", "Database name (compose, Kubernetes).");
    string("database.user", "the service name with _, or the serverId server's username", "Database user.");
    string("database.serverId", "none", "settings.xml server holding the password (decrypted).");
    string("database.passwordSecret", "none", "A declared <secret> holding the password, used when neither the"
        + " server nor DEVPLUGIN_DB_PASSWORD gives one.");
    list("database.locations", "location", "filesystem:src/main/resources/db/migration", "Flyway locations"
        + " (filesystem: relative to the project, or classpath:); undo scripts U<version>__*.sql sit next to the"
        + " migrations.");
    list("database.schemas", "schema", "the connection's current schema", "Schemas Flyway manages; the first"
        + " holds the history table.");
    string("database.table", "flyway_schema_history", "Flyway's schema history table.");
    bool("database.backup", "true in prod, else false", "Take a pg_dump backup before migrating.");
    keyEnv("database.backup", "true in prod");
    string("database.backupDirectory", "~/.devplugin/backups/<groupId>/<artifactId>", "Where backups go"
        + " (<db>-<UTC time>-v<version>.dump with .sha256 and .identity; files 0600, directories 0700); outside"
        + " target/, so mvn clean keeps them.");
    string("database.pgBinDirectory", "the PATH", "Directory holding pg_dump, pg_restore and psql"
        + " (e.g. /usr/lib/postgresql/16/bin).");
    integer("database.lockTimeout", "30", "Seconds a migration statement may wait for a lock"
        + " another session holds (PostgreSQL's lock_timeout), and for another migrator's lock (1-86400).");
    integer("database.connectTimeout", "10", "Seconds connecting and logging in may take (1-600).");

    section("cache", "Redis.");
    bool("cache.enabled", "false", "The service uses Redis: compose runs one, the service receives REDIS_URL"
        + " (redis://redis:6379 in compose, <kubernetes><redisUrl> in Kubernetes).");

    section("kubernetes", "The Kubernetes manifests of devplugin:k8s and how apply deploys them.");
    string("kubernetes.namespace", "<name>-<env>", "Namespace of every object.");
    bool("kubernetes.createNamespace", "true", "Generate the Namespace (labelled to enforce Pod"
        + " Security restricted).");
    string("kubernetes.secretName", "<name>-secrets", "The Secret the declared <secrets> are read from"
        + " (secretKeyRef, key = the secret's <key>).");
    bool("kubernetes.inlineSecrets", "false", "Let apply create that Secret from the resolved values (refused in"
        + " prod).");
    keyEnv("kubernetes.inlineSecrets", "refused in prod");
    string("kubernetes.databaseUrl", "<database><url>", "JDBC URL the service uses inside the cluster.");
    string("kubernetes.redisUrl", "none", "redis://host:6379 the service gets as REDIS_URL; required when"
        + " <cache><enabled>.");
    string("kubernetes.fragmentsDirectory", "src/main/k8s", "YAML fragments merged into the generated objects"
        + " (*.yaml, then <env>/*.yaml).");
    string("kubernetes.partOf", "the service name", "app.kubernetes.io/part-of.");
    string("kubernetes.context", "the kubeconfig's current context", "kubeconfig context apply and undeploy use"
        + " (KUBECONFIG, ~/.kube/config or in-cluster); one the kubeconfig lacks fails the goal.");
    section("kubernetes.probes", "Startup, readiness and liveness probes.");
    integer("kubernetes.probes.startupTimeoutSeconds", "from the framework and the CPU limit; 120 for a plain"
        + " service", "Time the service has to start.");
    integer("kubernetes.probes.readinessPeriodSeconds", "5", "Readiness probe period (1-300).");
    integer("kubernetes.probes.livenessPeriodSeconds", "10", "Liveness probe period (1-300).");
    integer("kubernetes.probes.timeoutSeconds", "2", "Probe timeout (1-60).");
    integer("kubernetes.probes.failureThreshold", "3", "Failures before a probe fails (1-30).");
    string("kubernetes.probes.livenessPath", "<healthPath>", "Liveness path: an endpoint that does not check"
        + " dependencies.");
    integer("kubernetes.preStopSeconds", "5", "preStop sleep while endpoints are removed (0 disables).");
    integer("kubernetes.terminationGracePeriodSeconds", "max(30, preStopSeconds + 25)", "Must be longer than"
        + " preStopSeconds.");
    string("kubernetes.ingressPathType", "Prefix", "Prefix, Exact or ImplementationSpecific.");
    integer("kubernetes.rolloutTimeoutSeconds", "300", "How long apply waits for the rollout (also"
        + " progressDeadlineSeconds).");
    integer("kubernetes.migrationTimeoutSeconds", "600", "How long apply waits for the migration Job (also its"
        + " activeDeadlineSeconds).");
    bool("kubernetes.prune", "true", "apply deletes objects of this service that are no longer generated.");
    bool("kubernetes.undoOnFailure", "false", "apply rolls the Deployment back when the rollout fails.");
    list("kubernetes.policyExceptions", "exception", "none", "Policy rules waived for this service (logged as a"
        + " warning): capabilities, host-namespaces, host-path, host-port, pre-stop, privilege-escalation,"
        + " privileged, probes, read-only-root-filesystem, resources, rolling-update, run-as-non-root, seccomp,"
        + " service-account-token.");
    string("kubernetes.outputDirectory", "target/devplugin/k8s", "Where k8s and apply write <env>/.");
    section("kubernetes.networkPolicy", "The service's default-deny NetworkPolicy.");
    bool("kubernetes.networkPolicy.enabled", "true", "Generate the NetworkPolicy.");
    string("kubernetes.networkPolicy.disabledReason", "none", "Why it is disabled; required when enabled is"
        + " false, logged as a warning.");
    list("kubernetes.networkPolicy.ingressNamespaceLabels", "label", "kubernetes.io/metadata.name=ingress-nginx",
        "key=value labels selecting the ingress controller's namespace.");
    rules("kubernetes.networkPolicy.extraIngress", "Extra allowed ingress.");
    rules("kubernetes.networkPolicy.extraEgress", "Extra allowed egress.");

    section("compose", "The docker-compose development environment and devplugin:up.");
    string("compose.postgresImage", "postgres:18.1-alpine", "PostgreSQL image with the official image's"
        + " contract.");
    string("compose.redisImage", "redis:8.2.2-alpine", "Redis image (with redis-cli).");
    string("compose.databaseUiImage", "adminer:5.4.1", "Database UI of the tools profile.");
    string("compose.redisUiImage", "redis/redisinsight:2.70.0", "Redis UI of the tools profile.");
    string("compose.outputDirectory", "target/devplugin/compose", "Where the files go (relative to the project).");
    string("compose.projectName", "the service name", "Compose project name (COMPOSE_PROJECT_NAME).");
    integer("compose.appPort", "<service><port>", "Host port of the service's HTTP port (APP_PORT).");
    integer("compose.debugPort", "5005", "JDWP port of dev (DEBUG_PORT).");
    integer("compose.postgresPort", "15432", "Host port PostgreSQL is published on in dev (POSTGRES_PORT).");
    integer("compose.redisPort", "6379", "Host port Redis is published on in dev (REDIS_PORT).");
    integer("compose.databaseUiPort", "8081", "Host port of the database UI.");
    integer("compose.redisUiPort", "5540", "Host port of the Redis UI.");
    string("compose.postgresDataPath", "from the image's major version", "Mount point of the data volume:"
        + " /var/lib/postgresql from PostgreSQL 18 on, /var/lib/postgresql/data before; set it for digest-only"
        + " references of older images.");
    bool("compose.debug", "true", "dev starts the service with the JDWP agent (needs a"
        + " JRE with jdk.jdwp.agent, as the Temurin JREs have).");
    bool("compose.mountClasses", "true", "dev mounts target/classes over the image's classes"
        + " and resources (mvn compile, then docker compose restart SERVICE).");
    bool("compose.tools", "true", "The stack has the database and Redis UIs, in the tools profile.");
    string("compose.restart", "none in dev, unless-stopped elsewhere", "Restart policy of the long-running"
        + " services in that environment's override file (no, always, on-failure[:N], unless-stopped).");
    keyEnv("compose.restart", "none in dev, unless-stopped elsewhere");
    entries("compose.variables", "variable", "name", "none", "Compose variables that <service><env> values may"
        + " reference as ${NAME}; listed in .env.example with their default; secret-looking names with a value are"
        + " refused.");
    string("compose.variables[].name", "required", "The variable's name.");
    string("compose.variables[].value", "empty", "Its default value (secret-looking names may have none).");
    string("compose.variables[].description", "none", "A comment in .env.example.");
    string("compose.command", "auto", "The compose implementation of up/down: auto tries docker, podman,"
        + " docker-compose.");
    bool("compose.randomPorts", "false", "up publishes every host port on a free one.");
    integer("compose.upTimeout", "300", "Seconds up waits for every service to be ready.");
    integer("compose.startPeriod", "90, 180 for Spring Boot, Quarkus and Micronaut", "Seconds of the service's"
        + " health-check start period: failed checks before its end do not count, so a broken service is reported"
        + " only after it.");

    entries("secrets", "secret", "name", "none", "Secrets the service receives as environment variables, from"
        + " settings.xml, the build's environment or a file; never from POM text.");
    string("secrets[].name", "required", "The environment variable the service receives.");
    string("secrets[].value", "refused", "Refused: secrets never live in POM text.");
    string("secrets[].server", "none", "settings.xml server holding it (one source of server, env, file).");
    string("secrets[].env", "none", "Environment variable of the build holding it.");
    string("secrets[].file", "none", "File holding it.");
    string("secrets[].serverField", "password", "Which field of the server (decrypted with Maven's"
        + " SettingsDecrypter): password, username, passphrase or privateKey.");
    bool("secrets[].optional", "false", "A missing value is not an error.");
    string("secrets[].key", "the name in lower case with dashes", "Key in the Kubernetes Secret.");
  }

  private ConfigKeys() {}

  /** Every declared key, in declaration (reference) order. */
  public static List<Key> all() {
    return List.copyOf(KEYS.values());
  }

  /** The declared key at {@code path}, if any. */
  public static Optional<Key> find(String path) {
    return Optional.ofNullable(KEYS.get(path));
  }

  /** The names of the keys declared directly below {@code parent} ("" for the top-level sections). */
  public static List<String> children(String parent) {
    List<String> out = new ArrayList<>();
    for (Key k : KEYS.values()) {
      if (k.parent().equals(parent)) {
        out.add(k.name());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** {@code service.ports[8080].name} as the declared path {@code service.ports[].name}. */
  public static String declaredPath(String path) {
    String p = path.startsWith(".") ? path.substring(1) : path;
    return p.replaceAll("\\[[^\\]]*\\]", "[]");
  }

  private static void rules(String path, String description) {
    entries(path, "rule", "name", "none", description);
    string(path + "[].name", "required", "Names the rule (overlays merge by it).");
    string(path + "[].namespace", "none", "Peer namespace (one of namespace or cidr, or none for anyone).");
    string(path + "[].cidr", "none", "Peer address block.");
    integer(path + "[].port", "any", "Port (1-65535).");
    string(path + "[].protocol", "TCP", "TCP, UDP or SCTP.");
  }

  private static void section(String path, String description) {
    add(new Key(path, Type.SECTION, null, null, List.of(), null, null, description));
  }

  private static void string(String path, String defaultValue, String description) {
    add(new Key(path, Type.STRING, null, null, List.of(), defaultValue, null, description));
  }

  private static void integer(String path, String defaultValue, String description) {
    add(new Key(path, Type.INTEGER, null, null, List.of(), defaultValue, null, description));
  }

  private static void bool(String path, String defaultValue, String description) {
    add(new Key(path, Type.BOOLEAN, null, null, List.of(), defaultValue, null, description));
  }

  private static void quantity(String path, String defaultValue, String description) {
    add(new Key(path, Type.QUANTITY, null, null, List.of(), defaultValue, null, description));
  }

  private static void choice(String path, List<String> choices, String defaultValue, String description) {
    add(new Key(path, Type.CHOICE, null, null, choices, defaultValue, null, description));
  }

  private static void list(String path, String item, String defaultValue, String description) {
    add(new Key(path, Type.LIST, item, null, List.of(), defaultValue, null, description));
  }

  private static void map(String path, String defaultValue, String description) {
    add(new Key(path, Type.MAP, null, null, List.of(), defaultValue, null, description));
  }

  private static void entries(String path, String item, String id, String defaultValue, String description) {
    add(new Key(path, Type.ENTRIES, item, id, List.of(), defaultValue, null, description));
  }

  /** Adds the per-environment behaviour to a declared key. */
  private static void keyEnv(String path, String environments) {
    Key k = KEYS.get(path);
    KEYS.put(path, new Key(k.path(), k.type(), k.item(), k.id(), k.choices(), k.defaultValue(), environments,
        k.description()));
  }

  private static void add(Key key) {
    if (KEYS.putIfAbsent(key.path(), key) != null) {
      throw new IllegalStateException("configuration key " + key.path() + " is declared twice");
    }
    if (!key.parent().isEmpty() && !KEYS.containsKey(key.parent().replaceAll("\\[\\]$", ""))) {
      throw new IllegalStateException("configuration key " + key.path() + " is declared before its parent");
    }
  }
}
