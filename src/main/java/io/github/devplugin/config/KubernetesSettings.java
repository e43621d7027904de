package io.github.devplugin.config;

import io.github.devplugin.framework.Framework;
import java.util.List;

/**
 * The {@code <kubernetes>} element: how the {@code k8s} goal renders the service and how {@code apply} and
 * {@code undeploy} talk to the cluster.
 *
 * @param namespace namespace of every generated object
 * @param createNamespace generate the Namespace object (with the Pod Security "restricted" labels)
 * @param inlineSecrets create the Secret from the resolved values at apply time (never allowed in {@code prod}); by
 *     default the manifests only reference an existing Secret
 * @param secretName the Secret the service's secrets are read from
 * @param fragmentsDirectory user fragments merged into the generated objects ({@code *.yaml}, and
 *     {@code <env>/*.yaml} for one environment)
 * @param context the kubeconfig context {@code apply} and {@code undeploy} use; null means the current context
 * @param partOf value of the {@code app.kubernetes.io/part-of} label
 * @param databaseUrl the JDBC URL the service uses inside the cluster; null means {@code <database><url>}
 * @param redisUrl the Redis URL the service uses inside the cluster ({@code redis://host:6379}); required when
 *     {@code <cache><enabled>} is true
 * @param probes probe timings
 * @param preStopSeconds how long a terminating pod keeps serving while endpoints are removed (0 disables)
 * @param terminationGracePeriodSeconds time from SIGTERM to SIGKILL, longer than {@code preStopSeconds}
 * @param ingressPathType {@code Prefix}, {@code Exact} or {@code ImplementationSpecific}
 * @param rolloutTimeoutSeconds how long {@code apply} waits for the rollout
 * @param migrationTimeoutSeconds how long {@code apply} waits for the migration Job
 * @param prune delete objects of this app that are no longer generated
 * @param undoOnFailure roll the Deployment back to its previous revision when the rollout fails
 * @param policyExceptions security/reliability rules waived for this service (logged as warnings)
 * @param networkPolicy the service's default-deny NetworkPolicy ({@code <networkPolicy>})
 * @param outputDirectory where the {@code k8s} goal writes {@code <env>/} (absolute)
 */
public record KubernetesSettings(String namespace, boolean createNamespace, boolean inlineSecrets, String secretName,
    String fragmentsDirectory, String context, String partOf, String databaseUrl, String redisUrl, Probes probes,
    int preStopSeconds, int terminationGracePeriodSeconds, String ingressPathType, int rolloutTimeoutSeconds,
    int migrationTimeoutSeconds, boolean prune, boolean undoOnFailure, List<String> policyExceptions,
    NetworkPolicy networkPolicy, String outputDirectory) {

  public KubernetesSettings {
    policyExceptions = List.copyOf(policyExceptions);
  }

  /**
   * Probe timings. The startup probe allows {@code startupTimeoutSeconds} for the first healthy answer; readiness
   * and liveness then take over.
   */
  public record Probes(int startupTimeoutSeconds, int readinessPeriodSeconds, int livenessPeriodSeconds,
      int timeoutSeconds, int failureThreshold, String livenessPath) {}

  /**
   * The {@code <networkPolicy>} element: a default-deny NetworkPolicy over the service's pods (server and migration)
   * that lets in the service's ports from its own namespace and from the ingress controller's, and lets out DNS
   * ({@code kube-system}, 53 UDP/TCP), the database's and Redis's ports, plus the extra rules.
   *
   * @param enabled false generates no NetworkPolicy, which the k8s goal logs with {@code disabledReason}
   * @param disabledReason why it is off (required when {@code enabled} is false)
   * @param ingressNamespaceLabels the labels that select the ingress controller's namespace
   * @param extraIngress further peers allowed in
   * @param extraEgress further destinations allowed out
   */
  public record NetworkPolicy(boolean enabled, String disabledReason, java.util.Map<String, String>
      ingressNamespaceLabels, List<PolicyRule> extraIngress, List<PolicyRule> extraEgress) {
    public NetworkPolicy {
      ingressNamespaceLabels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ingressNamespaceLabels));
      extraIngress = List.copyOf(extraIngress);
      extraEgress = List.copyOf(extraEgress);
    }
  }

  /**
   * One extra rule of {@code <extraIngress>} / {@code <extraEgress>}: a peer (a namespace by name, an IP block, or
   * anyone when neither is set) and a port.
   *
   * @param name the rule's name (its identity across environment overlays)
   * @param namespace the peer namespace's name ({@code kubernetes.io/metadata.name}), or null
   * @param cidr the peer IP block ({@code 10.0.0.0/8}), or null
   * @param port the port, or null for every port
   * @param protocol TCP, UDP or SCTP
   */
  public record PolicyRule(String name, String namespace, String cidr, Integer port, String protocol) {}

  /** The default of {@code <ingressNamespaceLabels>}: the namespace of the ingress-nginx controller. */
  public static final String DEFAULT_INGRESS_NAMESPACE_LABEL = "kubernetes.io/metadata.name=ingress-nginx";

  private static final java.util.regex.Pattern CIDR = java.util.regex.Pattern.compile(
      "(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})|[0-9a-fA-F:]+:[0-9a-fA-F:]*/\\d{1,3}");

  static NetworkPolicy networkPolicy(Section n) {
    boolean enabled = n.bool("enabled", true);
    String reason = n.string("disabledReason", null);
    if (!enabled && (reason == null || reason.isBlank())) {
      n.problem("enabled", "the NetworkPolicy is turned off without a reason.",
          "say why in <disabledReason> (e.g. <disabledReason>the cluster's CNI enforces no NetworkPolicy"
              + "</disabledReason>); the k8s goal logs it.");
    }
    java.util.Map<String, String> labels = new java.util.TreeMap<>();
    for (String l : n.list("ingressNamespaceLabels", "label", List.of(DEFAULT_INGRESS_NAMESPACE_LABEL))) {
      int eq = l.indexOf('=');
      String key = eq < 0 ? l : l.substring(0, eq).trim();
      String value = eq < 0 ? "" : l.substring(eq + 1).trim();
      if (eq < 0 || key.isEmpty() || !key.matches("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*"
          + "[A-Za-z0-9])?") || !isLabelValue(value)) {
        n.problem("ingressNamespaceLabels", "'" + l + "' is not a label selector term key=value.",
            "write <label>kubernetes.io/metadata.name=ingress-nginx</label>.");
        continue;
      }
      labels.put(key, value);
    }
    return new NetworkPolicy(enabled, reason, labels, rules(n, "extraIngress"), rules(n, "extraEgress"));
  }

  private static List<PolicyRule> rules(Section n, String key) {
    List<PolicyRule> out = new java.util.ArrayList<>();
    for (Section r : n.keyed(key, "rule", "name")) {
      String name = r.string("name", null);
      String namespace = r.string("namespace", null);
      if (namespace != null && !Names.isDnsLabel(namespace)) {
        r.problem("namespace", "'" + namespace + "' is not a namespace name.", "use a namespace's name, e.g."
            + " monitoring.");
      }
      String cidr = r.string("cidr", null);
      if (cidr != null && !CIDR.matcher(cidr).matches()) {
        r.problem("cidr", "'" + cidr + "' is not an IP block.", "use CIDR notation, e.g. 10.0.0.0/8.");
      }
      if (namespace != null && cidr != null) {
        r.problem("cidr", "a rule names either a namespace or an IP block, not both.",
            "split it into two <rule>s.");
      }
      Integer port = r.isSet("port") ? r.integer("port", 0, 1, 65535) : null;
      String protocol = r.string("protocol", "TCP");
      if (!List.of("TCP", "UDP", "SCTP").contains(protocol)) {
        r.problem("protocol", "'" + protocol + "' is not a protocol.", "use TCP, UDP or SCTP.");
      }
      out.add(new PolicyRule(name, namespace, cidr, port, protocol));
    }
    return out;
  }

  /** The policy rules a service may waive with {@code <policyExceptions>}, by id. */
  public static final List<String> POLICY_RULES = List.of("capabilities", "host-namespaces", "host-path", "host-port",
      "pre-stop", "privilege-escalation", "privileged", "probes", "read-only-root-filesystem", "resources",
      "rolling-update", "run-as-non-root", "seccomp", "service-account-token");

  /**
   * The default of {@code <kubernetes><probes><startupTimeoutSeconds>}: how long the startup probe waits for the
   * first healthy answer. A plain service gets 120 s. A framework's JVM start (class path scanning, dependency
   * injection, connection pools) takes about {@link #frameworkStartSeconds} on one full CPU and proportionally longer
   * under a smaller CPU limit ({@code <service><resources><limits><cpu>}: 500m doubles it, 250m quadruples it); its
   * budget is that, at least 120 s and at most 600 s.
   */
  public static int defaultStartupTimeoutSeconds(Framework framework, String cpuLimit) {
    int oneCpu = frameworkStartSeconds(framework);
    if (oneCpu == 0) {
      return PLAIN_STARTUP_SECONDS;
    }
    java.math.BigDecimal cpus = cpuLimit == null ? java.math.BigDecimal.ONE : Quantities.amount(cpuLimit);
    if (cpus.signum() <= 0 || cpus.compareTo(java.math.BigDecimal.ONE) > 0) {
      cpus = java.math.BigDecimal.ONE;
    }
    int scaled = java.math.BigDecimal.valueOf(oneCpu).divide(cpus, 0, java.math.RoundingMode.CEILING).intValue();
    return Math.min(MAX_DERIVED_STARTUP_SECONDS, Math.max(PLAIN_STARTUP_SECONDS, scaled));
  }

  /**
   * Seconds a framework's JVM start is given on one full CPU (0 for a plain service, which gets
   * {@link #PLAIN_STARTUP_SECONDS} whatever its CPU): Spring Boot 150 (it took about two minutes on a loaded
   * machine), Quarkus and Micronaut 90 (most of their wiring is done at build time).
   */
  static int frameworkStartSeconds(Framework framework) {
    return switch (framework) {
      case SPRING_BOOT -> 150;
      case QUARKUS, MICRONAUT -> 90;
      default -> 0;
    };
  }

  static final int PLAIN_STARTUP_SECONDS = 120;

  static final int MAX_DERIVED_STARTUP_SECONDS = 600;

  static KubernetesSettings from(Section s, ProjectInfo project, ServiceConfig service, String environment) {
    String serviceName = service.name();
    String base = serviceName == null ? "app" : serviceName;
    String defaultNamespace = Names.toDnsLabel(base + "-" + environment);
    String namespace = s.string("namespace", defaultNamespace);
    if (namespace != null && !Names.isDnsLabel(namespace)) {
      s.problem("namespace", "'" + namespace + "' is not a valid namespace.",
          "use lower case letters, digits and '-', e.g. " + defaultNamespace + ".");
    }
    boolean createNamespace = s.bool("createNamespace", true);
    boolean inlineSecrets = s.bool("inlineSecrets", false);
    if (inlineSecrets && Environments.isProduction(environment)) {
      s.problem("inlineSecrets", "the prod environment may not write Secret values into manifests.",
          "remove <inlineSecrets> from prod and create the Secret '" + base + "-secrets' out of band"
              + " (kubectl create secret, sealed-secrets, an external secret operator).");
    }
    String secretName = s.string("secretName", base + "-secrets");
    if (secretName != null && !Names.isHost(secretName)) {
      s.problem("secretName", "'" + secretName + "' is not a valid Secret name.",
          "use lower case letters, digits, '-' and '.', e.g. " + base + "-secrets.");
    }
    String fragments = s.string("fragmentsDirectory",
        project.basedir().resolve("src/main/k8s").toString());
    String context = s.string("context", null);
    String partOf = s.string("partOf", base);
    if (partOf != null && !isLabelValue(partOf)) {
      s.problem("partOf", "'" + partOf + "' is not a valid label value.",
          "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
    }
    String databaseUrl = s.string("databaseUrl", null);
    if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:")) {
      s.problem("databaseUrl", "'" + databaseUrl + "' is not a PostgreSQL JDBC URL.",
          "use jdbc:postgresql://HOST:5432/DATABASE, with the host name the cluster resolves.");
    } else if (databaseUrl != null && databaseUrl.toLowerCase(java.util.Locale.ROOT).matches(".*[?&]password=.*")) {
      s.problem("databaseUrl", "the JDBC URL contains a password in plain text.",
          "remove password= from the URL; the service receives DATABASE_PASSWORD from <database><passwordSecret>.");
      databaseUrl = null;
    } else if (databaseUrl != null && databaseUrl.matches("jdbc:postgresql://[^/?]*@.*")) {
      s.problem("databaseUrl", "the JDBC URL carries credentials in its user-info (//user:password@host).",
          "remove user:password@ from the URL; the service receives DATABASE_USER and DATABASE_PASSWORD.");
      databaseUrl = null;
    }
    String redisUrl = s.string("redisUrl", null);
    if (redisUrl != null && !redisUrl.matches("rediss?://[^\\s]+")) {
      s.problem("redisUrl", "'" + redisUrl + "' is not a Redis URL.", "use redis://HOST:6379.");
    } else if (redisUrl != null && redisUrl.matches("rediss?://[^/@]*:[^/@]+@.*")) {
      s.problem("redisUrl", "the Redis URL contains a password in plain text.",
          "remove it from the URL and declare the password under <secrets>.");
    }

    Section p = s.section("probes");
    int startupTimeout = p.integer("startupTimeoutSeconds", defaultStartupTimeoutSeconds(
        service.framework() == null ? Framework.PLAIN : service.framework().framework(),
        service.resources().cpuLimit()), 5, 3600);
    int readinessPeriod = p.integer("readinessPeriodSeconds", 5, 1, 300);
    int livenessPeriod = p.integer("livenessPeriodSeconds", 10, 1, 300);
    int timeout = p.integer("timeoutSeconds", 2, 1, 60);
    int failureThreshold = p.integer("failureThreshold", 3, 1, 30);
    // a liveness probe that checks dependencies restarts every pod when the database blips: point it at a path
    // that only says the process serves requests, when the service has one
    String livenessPath = p.string("livenessPath", null);
    if (livenessPath != null && !livenessPath.startsWith("/")) {
      p.problem("livenessPath", "'" + livenessPath + "' is not an absolute HTTP path.",
          "start it with '/', e.g. <livenessPath>/health/live</livenessPath>.");
    }
    if (timeout >= readinessPeriod) {
      p.problem("timeoutSeconds", "a probe timeout of " + timeout + "s is not shorter than the readiness period "
          + readinessPeriod + "s.", "lower <timeoutSeconds> or raise <readinessPeriodSeconds>.");
    }

    int preStop = s.integer("preStopSeconds", 5, 0, 300);
    int grace = s.integer("terminationGracePeriodSeconds", Math.max(30, preStop + 25), 1, 3600);
    if (grace <= preStop) {
      s.problem("terminationGracePeriodSeconds", "the grace period of " + grace + "s leaves the process no time"
          + " to shut down after the " + preStop + "s preStop pause.",
          "make <terminationGracePeriodSeconds> longer than <preStopSeconds>, e.g. " + (preStop + 25) + ".");
    }
    String pathType = s.string("ingressPathType", "Prefix");
    if (!List.of("Prefix", "Exact", "ImplementationSpecific").contains(pathType)) {
      s.problem("ingressPathType", "'" + pathType + "' is not an Ingress path type.",
          "use Prefix, Exact or ImplementationSpecific.");
    }
    int rolloutTimeout = s.integer("rolloutTimeoutSeconds", 300, 1, 86400);
    int migrationTimeout = s.integer("migrationTimeoutSeconds", 600, 1, 86400);
    boolean prune = s.bool("prune", true);
    boolean undo = s.bool("undoOnFailure", false);
    List<String> exceptions = s.list("policyExceptions", "exception", List.of());
    for (String e : exceptions) {
      if (!POLICY_RULES.contains(e)) {
        s.problem("policyExceptions", "'" + e + "' is not a policy rule." + Section.didYouMean(e, POLICY_RULES),
            "use one of: " + String.join(", ", POLICY_RULES) + ".");
      }
    }
    return new KubernetesSettings(namespace, createNamespace, inlineSecrets, secretName, fragments, context, partOf,
        databaseUrl, redisUrl, new Probes(startupTimeout, readinessPeriod, livenessPeriod, timeout, failureThreshold,
            livenessPath),
        preStop, grace, pathType, rolloutTimeout, migrationTimeout, prune, undo, exceptions,
        networkPolicy(s.section("networkPolicy")),
        project.basedir().resolve(s.string("outputDirectory", project.devpluginDirectory().resolve("k8s").toString()))
            .toString());
  }

  /** A Kubernetes label value: at most 63 characters, alphanumerics, '-', '_', '.', alphanumeric at both ends. */
  public static boolean isLabelValue(String s) {
    return s != null && s.length() <= 63 && s.matches("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  }
}
