package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.github.devplugin.config.DatabaseSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.config.KubernetesSettings;
import io.github.devplugin.core.Problem;
import io.github.devplugin.framework.EnvValues;
import io.github.devplugin.framework.FrameworkProfile;
import io.github.devplugin.config.SecretSpec;
import io.github.devplugin.config.ServiceConfig;
import io.github.devplugin.image.ImageLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the effective configuration of one environment into typed fabric8 objects: Namespace, ServiceAccount,
 * ConfigMap, PersistentVolumeClaims, NetworkPolicy, Service, the migration Job, Deployment, HorizontalPodAutoscaler,
 * PodDisruptionBudget and Ingress, in that (apply) order. Everything meets the Pod Security "restricted" profile and
 * the reliability defaults described in the site's goals page ({@code src/site/markdown/goals.md}). Configuration
 * gaps (a database without a URL) are collected as {@link Problem}s.
 */
public final class ManifestGenerator {
  /** Pod-template annotation: hash of the ConfigMap, so a configuration change rolls the pods. */
  public static final String CONFIG_HASH = "devplugin.io/config-hash";
  /** ConfigMap annotation: every apiVersion/kind generated, so {@code apply} can prune kinds no longer generated. */
  public static final String KINDS = "devplugin.io/kinds";
  /** The writable emptyDir on /tmp (the root file system is read-only). */
  public static final String TMP_VOLUME = "tmp";
  /** The name of the service's main port. */
  public static final String HTTP = "http";
  /** The name of the framework's separate management port (Spring Boot's {@code management.server.port}). */
  public static final String MANAGEMENT = "management";
  /** The secret key the database password is read from when {@code <database><passwordSecret>} is not set. */
  public static final String DEFAULT_DB_PASSWORD_KEY = "database-password";

  private final EffectiveConfig cfg;
  private final ImageChoice image;
  private final List<Problem> problems = new ArrayList<>();

  public ManifestGenerator(EffectiveConfig cfg, ImageChoice image) {
    this.cfg = cfg;
    this.image = image;
  }

  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  public static String configMapName(EffectiveConfig c) {
    return c.service().name() + "-config";
  }

  public static String pvcName(EffectiveConfig c, String volume) {
    return c.service().name() + "-" + volume;
  }

  /** The generated objects, in apply order. Call {@link #finish} after merging fragments. */
  public List<HasMetadata> generate() {
    List<HasMetadata> out = new ArrayList<>();
    ServiceConfig svc = cfg.service();
    KubernetesSettings k = cfg.kubernetes();
    String ns = k.namespace();
    String name = svc.name();

    if (k.createNamespace()) {
      Map<String, String> labels = new TreeMap<>(Labels.common(cfg));
      labels.put("pod-security.kubernetes.io/enforce", "restricted");
      labels.put("pod-security.kubernetes.io/enforce-version", "latest");
      labels.put("pod-security.kubernetes.io/warn", "restricted");
      labels.put("pod-security.kubernetes.io/audit", "restricted");
      out.add(new NamespaceBuilder().withNewMetadata().withName(ns).withLabels(labels).endMetadata().build());
    }
    out.add(new ServiceAccountBuilder().withMetadata(meta(name, Labels.common(cfg)))
        .withAutomountServiceAccountToken(false).build());

    Map<String, String> data = configData();
    out.add(new ConfigMapBuilder().withMetadata(meta(configMapName(cfg), Labels.common(cfg))).withData(data).build());

    for (ServiceConfig.VolumeSpec v : svc.volumes()) {
      PersistentVolumeClaimBuilder pvc = new PersistentVolumeClaimBuilder()
          .withMetadata(meta(pvcName(cfg, v.name()), Labels.common(cfg, Labels.SERVER)))
          .withNewSpec().withAccessModes(v.accessMode()).withStorageClassName(v.storageClass())
          .withNewResources().addToRequests("storage", new Quantity(v.size())).endResources().endSpec();
      out.add(pvc.build());
    }

    if (k.networkPolicy().enabled()) {
      out.add(networkPolicy()); // before any pod starts
    }

    List<ServicePort> servicePorts = new ArrayList<>();
    servicePorts.add(new ServicePortBuilder().withName(HTTP).withPort(svc.port()).withProtocol("TCP")
        .withTargetPort(new IntOrString(HTTP)).build());
    for (ServiceConfig.PortSpec p : svc.ports()) {
      servicePorts.add(new ServicePortBuilder().withName(p.name()).withPort(p.number()).withProtocol(p.protocol())
          .withTargetPort(new IntOrString(p.name())).build());
    }
    out.add(new ServiceBuilder().withMetadata(meta(name, Labels.common(cfg, Labels.SERVER))).withNewSpec()
        .withType("ClusterIP").withSelector(Labels.selector(cfg, Labels.SERVER)).withPorts(servicePorts)
        .endSpec().build());

    if (cfg.database().enabled()) {
      out.add(migrationJob());
    }
    out.add(deployment());

    ServiceConfig.Autoscaling as = svc.autoscaling();
    if (as.enabled()) {
      out.add(new HorizontalPodAutoscalerBuilder().withMetadata(meta(name, Labels.common(cfg, Labels.SERVER)))
          .withNewSpec().withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(name)
          .endScaleTargetRef().withMinReplicas(as.minReplicas()).withMaxReplicas(as.maxReplicas())
          .withMetrics(new MetricSpecBuilder().withType("Resource").withNewResource().withName("cpu").withNewTarget()
              .withType("Utilization").withAverageUtilization(as.targetCpuUtilization()).endTarget().endResource()
              .build())
          .endSpec().build());
    }
    int minReplicas = as.enabled() ? as.minReplicas() : svc.replicas();
    if (minReplicas > 1) {
      out.add(new PodDisruptionBudgetBuilder().withMetadata(meta(name, Labels.common(cfg, Labels.SERVER)))
          .withNewSpec().withMaxUnavailable(new IntOrString(1))
          .withSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(cfg, Labels.SERVER)).build())
          .withUnhealthyPodEvictionPolicy("AlwaysAllow").endSpec().build());
    }
    ServiceConfig.IngressSpec ing = svc.ingress();
    if (ing != null) {
      IngressBuilder ib = new IngressBuilder().withMetadata(meta(name, Labels.common(cfg, Labels.SERVER)))
          .withNewSpec().withIngressClassName(ing.className())
          .addNewRule().withHost(ing.host()).withNewHttp().withPaths(new HTTPIngressPathBuilder()
              .withPath(ing.path()).withPathType(k.ingressPathType()).withNewBackend().withNewService()
              .withName(name).withNewPort().withName(HTTP).endPort().endService().endBackend().build())
          .endHttp().endRule().endSpec();
      if (ing.tlsSecret() != null) {
        ib.editSpec().withTls(new IngressTLSBuilder().withHosts(ing.host()).withSecretName(ing.tlsSecret()).build())
            .endSpec();
      }
      out.add(ib.build());
    }
    return out;
  }

  /** The name of the generated NetworkPolicy: the service's. */
  public static String networkPolicyName(EffectiveConfig c) {
    return c.service().name();
  }

  /**
   * The default-deny NetworkPolicy over every pod of the service in this environment (server and migration, by name
   * and instance): in, the service's ports from its own namespace and from the ingress controller's
   * ({@code <ingressNamespaceLabels>}); out, DNS in {@code kube-system} (53 UDP and TCP), the database's port (from
   * its URL, 5432 by default) and Redis's (6379 by default) to any address (their hosts are names the policy cannot
   * hold); then {@code <extraIngress>} and {@code <extraEgress>}.
   */
  private NetworkPolicy networkPolicy() {
    KubernetesSettings.NetworkPolicy np = cfg.kubernetes().networkPolicy();
    ServiceConfig svc = cfg.service();
    Map<String, String> pods = new TreeMap<>(Labels.selector(cfg, Labels.SERVER));
    pods.remove(Labels.COMPONENT);

    List<NetworkPolicyPort> servicePorts = new ArrayList<>();
    servicePorts.add(policyPort(svc.port(), "TCP"));
    for (ServiceConfig.PortSpec p : svc.ports()) {
      servicePorts.add(policyPort(p.number(), p.protocol()));
    }
    List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
    ingress.add(new NetworkPolicyIngressRuleBuilder()
        .addNewFrom().withNewPodSelector().endPodSelector().endFrom()
        .addNewFrom().withNewNamespaceSelector().withMatchLabels(np.ingressNamespaceLabels()).endNamespaceSelector()
        .endFrom()
        .withPorts(servicePorts).build());
    for (KubernetesSettings.PolicyRule r : np.extraIngress()) {
      NetworkPolicyIngressRuleBuilder b = new NetworkPolicyIngressRuleBuilder();
      NetworkPolicyPeer peer = peer(r);
      if (peer != null) {
        b.withFrom(peer);
      }
      if (r.port() != null) {
        b.withPorts(policyPort(r.port(), r.protocol()));
      }
      ingress.add(b.build());
    }

    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    egress.add(new NetworkPolicyEgressRuleBuilder()
        .addNewTo().withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", "kube-system")
        .endNamespaceSelector().endTo()
        .withPorts(policyPort(53, "UDP"), policyPort(53, "TCP")).build());
    List<NetworkPolicyPort> dependencies = new ArrayList<>();
    if (cfg.database().enabled()) {
      dependencies.add(policyPort(portOf(databaseUrl(), 5432), "TCP"));
    }
    if (cfg.cache().enabled() && cfg.kubernetes().redisUrl() != null) {
      dependencies.add(policyPort(portOf(cfg.kubernetes().redisUrl(), 6379), "TCP"));
    }
    if (!dependencies.isEmpty()) {
      egress.add(new NetworkPolicyEgressRuleBuilder().withPorts(dependencies).build());
    }
    for (KubernetesSettings.PolicyRule r : np.extraEgress()) {
      NetworkPolicyEgressRuleBuilder b = new NetworkPolicyEgressRuleBuilder();
      NetworkPolicyPeer peer = peer(r);
      if (peer != null) {
        b.withTo(peer);
      }
      if (r.port() != null) {
        b.withPorts(policyPort(r.port(), r.protocol()));
      }
      egress.add(b.build());
    }
    return new NetworkPolicyBuilder().withMetadata(meta(networkPolicyName(cfg), Labels.common(cfg)))
        .withNewSpec().withNewPodSelector().withMatchLabels(pods).endPodSelector()
        .withPolicyTypes("Ingress", "Egress").withIngress(ingress).withEgress(egress).endSpec().build();
  }

  private static NetworkPolicyPort policyPort(int port, String protocol) {
    return new NetworkPolicyPortBuilder().withPort(new IntOrString(port)).withProtocol(protocol).build();
  }

  private static NetworkPolicyPeer peer(KubernetesSettings.PolicyRule r) {
    if (r.namespace() != null) {
      return new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
          .addToMatchLabels("kubernetes.io/metadata.name", r.namespace()).endNamespaceSelector().build();
    }
    if (r.cidr() != null) {
      return new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(r.cidr()).endIpBlock().build();
    }
    return null;
  }

  /** The port of a {@code jdbc:postgresql://host:port/db} or {@code redis://host:port} URL, or the default. */
  static int portOf(String url, int defaultPort) {
    if (url == null) {
      return defaultPort;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("//(?:[^/@]*@)?(\\[[^]]*]|[^/:?,]*)(?::(\\d+))?")
        .matcher(url);
    return m.find() && m.group(2) != null ? Integer.parseInt(m.group(2)) : defaultPort;
  }

  private ObjectMeta meta(String name, Map<String, String> labels) {
    return new ObjectMetaBuilder().withName(name).withNamespace(cfg.kubernetes().namespace())
        .withLabels(new TreeMap<>(labels)).build();
  }

  /** The names through which the service receives its settings (the framework's, or {@code <service><variables>}). */
  private io.github.devplugin.framework.Variables names() {
    return cfg.service().framework().profile().variables();
  }

  /**
   * The graceful shutdown time the service is given: the termination grace period less the preStop pause and 5 s
   * for the JVM to exit (at least 1 s), so that the framework finishes before Kubernetes kills it.
   */
  public static int shutdownSeconds(KubernetesSettings k) {
    return Math.max(1, k.terminationGracePeriodSeconds() - k.preStopSeconds() - 5);
  }

  /**
   * Non-secret configuration: the profile's service environment (port, framework settings, {@code <service><env>}
   * with its references resolved), the database URL and user, Redis, each under the profile's names.
   */
  private Map<String, String> configData() {
    io.github.devplugin.framework.Variables v = names();
    Map<String, String> connection = new TreeMap<>();
    Map<String, String> providedBy = new TreeMap<>();
    put(null, providedBy, v.port(), null, "<service><port>");
    DatabaseSettings db = cfg.database();
    if (db.enabled()) {
      String url = databaseUrl();
      if (url == null) {
        problems.add(new Problem("<database><url>", "the service needs "
            + (v.databaseUrl() == null ? "its database URL" : v.databaseUrl()) + " in environment '"
            + cfg.environment() + "', but no database URL is set.",
            "set <environments><" + cfg.environment() + "><database><url>jdbc:postgresql://HOST:5432/" + db.name()
                + "</url>, or <kubernetes><databaseUrl> when the cluster reaches the database under another name"
                + " (or " + OverrideProperties.setting("database.url") + "; or <database><enabled>false</enabled> if"
                + " the service has none)."));
      } else {
        put(connection, providedBy, v.databaseUrl(), url, "<database><url> (or <kubernetes><databaseUrl>)");
      }
      put(connection, providedBy, v.databaseUser(), db.user(), "<database><user>");
      put(null, providedBy, v.databasePassword(), null, "<database><passwordSecret>");
    }
    if (cfg.cache().enabled()) {
      String redis = cfg.kubernetes().redisUrl();
      if (redis == null) {
        problems.add(new Problem("<kubernetes><redisUrl>", "the service needs Redis (<cache><enabled> is true),"
            + " but no Redis URL is set for environment '" + cfg.environment() + "'.",
            "set <kubernetes><redisUrl>redis://HOST:6379</redisUrl> (per environment under <environments>), or"
                + " <cache><enabled>false</enabled>."));
      } else {
        java.net.URI uri = java.net.URI.create(redis);
        put(connection, providedBy, v.redisUrl(), redis, "<kubernetes><redisUrl>");
        put(connection, providedBy, v.redisHost(), uri.getHost(), "<kubernetes><redisUrl>");
        put(connection, providedBy, v.redisPort(), String.valueOf(uri.getPort() > 0 ? uri.getPort() : 6379),
            "<kubernetes><redisUrl>");
      }
    }
    for (Map.Entry<String, String> e : cfg.service().env().entrySet()) {
      if (providedBy.containsKey(e.getKey())) {
        problems.add(new Problem("<service><env><" + e.getKey() + ">", e.getKey() + " is set by devplugin from "
            + providedBy.get(e.getKey()) + ".", "remove it from <env> and set " + providedBy.get(e.getKey())
            + " instead (or give devplugin's value another name with <service><variables>)."));
      }
    }
    Map<String, String> service = cfg.service().framework().profile().serviceEnvironment(cfg.service().port(),
        db.enabled(), shutdownSeconds(cfg.kubernetes()), cfg.service().env());
    Map<String, String> known = new TreeMap<>(service);
    known.keySet().removeAll(cfg.service().env().keySet());
    known.putAll(connection);
    Map<String, String> data = new TreeMap<>();
    for (Map.Entry<String, String> e : service.entrySet()) {
      if (!cfg.service().env().containsKey(e.getKey())) {
        data.put(e.getKey(), e.getValue());
        continue;
      }
      String value = resolve(e.getKey(), EnvValues.Value.parse(e.getValue()), known);
      if (value != null) {
        data.put(e.getKey(), value);
      }
    }
    data.putAll(connection);
    return data;
  }

  private static void put(Map<String, String> data, Map<String, String> providedBy, String name, String value,
      String from) {
    if (name != null) {
      if (data != null) {
        data.put(name, value);
      }
      providedBy.put(name, from);
    }
  }

  private String databaseUrl() {
    return cfg.kubernetes().databaseUrl() != null ? cfg.kubernetes().databaseUrl() : cfg.database().url();
  }

  /**
   * A value of {@code <service><env>} with its references resolved for a ConfigMap (read through {@code envFrom}:
   * literal text as is): a reference to a value the service receives from the ConfigMap becomes that value; a
   * reference to a secret moves the variable to the container's {@code env} as a Kubernetes {@code $(NAME)}
   * expansion ({@link #expandedEnv}, literal text written with {@link EnvValues.Syntax#KUBERNETES}); any other
   * reference is refused (a ConfigMap would carry it unexpanded). Null when the value goes to {@code env}.
   */
  private String resolve(String variable, EnvValues.Value value, Map<String, String> known) {
    java.util.Set<String> secrets = secretNames();
    String element = "<service><env><" + variable + ">";
    boolean secret = false;
    for (String name : value.references()) {
      if (secrets.contains(name) && !known.containsKey(name)) {
        secret = true;
      } else if (!known.containsKey(name)) {
        problems.add(new Problem(element, "references ${" + name + "}, which the service does not receive in"
            + " Kubernetes (environment '" + cfg.environment() + "'), so the ConfigMap would carry it unexpanded.",
            "refer to a value devplugin gives the service (" + String.join(", ", new TreeSet<>(known.keySet()))
                + (secrets.isEmpty() ? "" : ", " + String.join(", ", secrets)) + "), set the value itself under"
                + " <environments><" + cfg.environment() + "><service><env>, or write $$ for a literal dollar"
                + " sign."));
      }
    }
    if (secret) {
      EnvValues.Syntax k8s = EnvValues.Syntax.KUBERNETES;
      expanded.put(variable, value.render(k8s, r -> known.containsKey(r.name())
          ? k8s.escape(known.get(r.name())) : "$(" + r.name() + ")"));
      return null;
    }
    return value.render(EnvValues.Syntax.PLAIN, r -> known.getOrDefault(r.name(), r.token()));
  }

  /** Variables of {@code <service><env>} that refer to secrets: Kubernetes expands {@code $(NAME)} in them. */
  private final Map<String, String> expanded = new TreeMap<>();

  /** The names of the variables the service reads from the Secret. */
  private java.util.Set<String> secretNames() {
    java.util.Set<String> out = new TreeSet<>();
    for (SecretSpec s : cfg.secrets()) {
      out.add(s.name());
    }
    if (cfg.database().enabled() && names().databasePassword() != null) {
      out.add(names().databasePassword());
    }
    return out;
  }

  /**
   * Environment variables read from the Secret: every declared secret and the database password (under
   * {@code passwordName}); then the variables of {@code <service><env>} that expand a secret ({@code $(NAME)}, which
   * Kubernetes resolves from the variables before them).
   */
  private List<EnvVar> secretEnv(boolean databaseOnly, String passwordName) {
    Map<String, EnvVar> env = new TreeMap<>();
    String secret = cfg.kubernetes().secretName();
    if (!databaseOnly) {
      for (SecretSpec s : cfg.secrets()) {
        env.put(s.name(), secretRef(s.name(), secret, s.key(), s.optional()));
      }
    }
    if (cfg.database().enabled() && passwordName != null) {
      String key = DEFAULT_DB_PASSWORD_KEY;
      boolean optional = false;
      String passwordSecret = cfg.database().passwordSecret();
      if (passwordSecret != null) {
        for (SecretSpec s : cfg.secrets()) {
          if (s.name().equals(passwordSecret)) {
            key = s.key();
            optional = s.optional();
          }
        }
      } else if (cfg.kubernetes().inlineSecrets()) {
        problems.add(new Problem("<database><passwordSecret>", "with <kubernetes><inlineSecrets> the database"
            + " password must come from a declared secret.", "declare the secret under <secrets> and name it in"
            + " <database><passwordSecret>."));
      }
      env.put(passwordName, secretRef(passwordName, secret, key, optional));
    }
    List<EnvVar> out = new ArrayList<>(env.values());
    if (!databaseOnly) {
      for (Map.Entry<String, String> e : expanded.entrySet()) {
        out.add(new EnvVarBuilder().withName(e.getKey()).withValue(e.getValue()).build());
      }
    }
    return out;
  }

  private static EnvVar secretRef(String name, String secret, String key, boolean optional) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
        .withOptional(optional ? Boolean.TRUE : null).endSecretKeyRef().endValueFrom().build();
  }

  private PodSecurityContext podSecurity() {
    String[] ids = cfg.image().user().split(":");
    long uid = Long.parseLong(ids[0]);
    long gid = ids.length > 1 ? Long.parseLong(ids[1]) : uid;
    PodSecurityContextBuilder b = new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(uid)
        .withRunAsGroup(gid).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
    if (!cfg.service().volumes().isEmpty()) {
      b.withFsGroup(gid);
    }
    return b.build();
  }

  static SecurityContext containerSecurity() {
    return new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withPrivileged(false)
        .withRunAsNonRoot(true).withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL")
        .endCapabilities().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
  }

  private Deployment deployment() {
    ServiceConfig svc = cfg.service();
    KubernetesSettings k = cfg.kubernetes();
    KubernetesSettings.Probes p = k.probes();
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(new ContainerPortBuilder().withName(HTTP).withContainerPort(svc.port()).withProtocol("TCP").build());
    FrameworkProfile profile = svc.framework().profile();
    Integer management = profile.managementPort();
    boolean separateManagement = management != null && management != svc.port()
        && svc.ports().stream().noneMatch(x -> x.number() == management);
    if (separateManagement) {
      ports.add(new ContainerPortBuilder().withName(MANAGEMENT).withContainerPort(management).withProtocol("TCP")
          .build());
    }
    for (ServiceConfig.PortSpec port : svc.ports()) {
      ports.add(new ContainerPortBuilder().withName(port.name()).withContainerPort(port.number())
          .withProtocol(port.protocol()).build());
    }
    List<VolumeMount> mounts = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(ImageLayout.TMP_DIR).build());
    volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
    for (ServiceConfig.VolumeSpec v : svc.volumes()) {
      mounts.add(new VolumeMountBuilder().withName(v.name()).withMountPath(v.mountPath()).build());
      volumes.add(new VolumeBuilder().withName(v.name()).withNewPersistentVolumeClaim()
          .withClaimName(pvcName(cfg, v.name())).endPersistentVolumeClaim().build());
    }
    int startupPeriod = 5;
    ContainerBuilder c = new ContainerBuilder().withName(svc.name()).withImage(image.reference())
        .withImagePullPolicy(image.hasDigest() ? "IfNotPresent" : null)
        .withPorts(ports)
        .withEnvFrom(List.of(new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder().withNewConfigMapRef()
            .withName(configMapName(cfg)).endConfigMapRef().build()))
        .withEnv(secretEnv(false, names().databasePassword()))
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity(svc.resources().cpuRequest()))
            .addToRequests("memory", new Quantity(svc.resources().memoryRequest()))
            .addToLimits("cpu", new Quantity(svc.resources().cpuLimit()))
            .addToLimits("memory", new Quantity(svc.resources().memoryLimit())).build())
        .withStartupProbe(probe(profile.startup(), null, startupPeriod, p.timeoutSeconds(),
            Math.max(1, (p.startupTimeoutSeconds() + startupPeriod - 1) / startupPeriod)))
        .withReadinessProbe(probe(profile.readiness(), null, p.readinessPeriodSeconds(), p.timeoutSeconds(),
            p.failureThreshold()))
        .withLivenessProbe(probe(profile.liveness(), p.livenessPath(), p.livenessPeriodSeconds(), p.timeoutSeconds(),
            p.failureThreshold()))
        .withSecurityContext(containerSecurity())
        .withVolumeMounts(mounts);
    if (k.preStopSeconds() > 0) {
      c.withNewLifecycle().withNewPreStop().withNewSleep((long) k.preStopSeconds()).endPreStop().endLifecycle();
    }
    Container container = c.build();

    boolean autoscaled = svc.autoscaling().enabled();
    int spreadReplicas = autoscaled ? svc.autoscaling().maxReplicas() : svc.replicas();
    PodSpecBuilder pod = new PodSpecBuilder().withServiceAccountName(svc.name())
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(podSecurity())
        .withTerminationGracePeriodSeconds((long) k.terminationGracePeriodSeconds())
        .withContainers(container).withVolumes(volumes);
    if (spreadReplicas > 1) {
      pod.withTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(1)
          .withTopologyKey("kubernetes.io/hostname").withWhenUnsatisfiable("ScheduleAnyway")
          .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(cfg, Labels.SERVER)).build())
          .withMatchLabelKeys("pod-template-hash").build());
    }
    PodSpec podSpec = pod.build();
    return new DeploymentBuilder().withMetadata(meta(svc.name(), Labels.common(cfg, Labels.SERVER)))
        .withNewSpec().withReplicas(autoscaled ? null : svc.replicas())
        .withRevisionHistoryLimit(5)
        .withProgressDeadlineSeconds(Math.max(k.rolloutTimeoutSeconds(), 60))
        .withNewSelector().withMatchLabels(Labels.selector(cfg, Labels.SERVER)).endSelector()
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString("25%")).endRollingUpdate()
        .endStrategy()
        .withNewTemplate().withNewMetadata().withLabels(Labels.common(cfg, Labels.SERVER)).endMetadata()
        .withSpec(podSpec).endTemplate()
        .endSpec().build();
  }

  /**
   * A probe of the framework profile: an HTTP GET of its path ({@code pathOverride} when set), or a TCP connect when
   * the service has no health endpoint; on the management port when the profile serves it there and it is separate.
   */
  private Probe probe(io.github.devplugin.framework.Probe probe, String pathOverride, int period, int timeout,
      int failureThreshold) {
    ServiceConfig svc = cfg.service();
    Integer management = svc.framework().profile().managementPort();
    int number = probe.port(svc.port(), management);
    String portName = number == svc.port() ? HTTP : svc.ports().stream().filter(x -> x.number() == number)
        .map(ServiceConfig.PortSpec::name).findFirst().orElse(MANAGEMENT);
    ProbeBuilder b = new ProbeBuilder();
    String path = pathOverride != null ? pathOverride : probe.path();
    if (path != null) {
      b.withNewHttpGet().withPath(path).withPort(new IntOrString(portName)).endHttpGet();
    } else {
      b.withNewTcpSocket().withPort(new IntOrString(portName)).endTcpSocket();
    }
    return b.withPeriodSeconds(period).withTimeoutSeconds(timeout).withFailureThreshold(failureThreshold).build();
  }

  /** The Job that runs the image's own migrations before the new version rolls out; named by {@link #finish}. */
  private Job migrationJob() {
    // the migrator's own contract (db.MigratorMain), whatever names the service reads
    io.github.devplugin.framework.Variables v = names();
    List<EnvVar> env = new ArrayList<>();
    env.add(fromConfig("DATABASE_URL", v.databaseUrl(), databaseUrl()));
    env.add(fromConfig("DATABASE_USER", v.databaseUser(), cfg.database().user()));
    env.addAll(secretEnv(true, "DATABASE_PASSWORD"));
    // where the image's layout keeps the app's migrations (Quarkus' fast-jar: in the app's jar)
    ImageLayout.migrateEnvironment(cfg.service().framework().profile().launch().kind())
        .forEach((k, val) -> env.add(new EnvVarBuilder().withName(k)
            .withValue(EnvValues.Syntax.KUBERNETES.escape(val)).build()));
    Container c = new ContainerBuilder().withName("migrate").withImage(image.reference())
        .withImagePullPolicy(image.hasDigest() ? "IfNotPresent" : null)
        .withCommand(ImageLayout.migrateCommand()).withEnv(env)
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("192Mi"))
            .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("256Mi")).build())
        .withSecurityContext(containerSecurity())
        .withVolumeMounts(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(ImageLayout.TMP_DIR).build())
        .build();
    String[] ids = cfg.image().user().split(":");
    long uid = Long.parseLong(ids[0]);
    long gid = ids.length > 1 ? Long.parseLong(ids[1]) : uid;
    return new JobBuilder().withMetadata(meta(cfg.service().name() + "-migrate",
            Labels.common(cfg, Labels.MIGRATION)))
        .withNewSpec().withBackoffLimit(1).withActiveDeadlineSeconds((long) cfg.kubernetes().migrationTimeoutSeconds())
        .withNewTemplate().withNewMetadata().withLabels(Labels.common(cfg, Labels.MIGRATION)).endMetadata()
        .withNewSpec().withRestartPolicy("Never").withServiceAccountName(cfg.service().name())
        .withAutomountServiceAccountToken(false).withEnableServiceLinks(false)
        .withSecurityContext(new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(uid)
            .withRunAsGroup(gid).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build())
        .withContainers(c)
        .withVolumes(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build())
        .endSpec().endTemplate().endSpec().build();
  }

  /** {@code name} from the ConfigMap's {@code key}, or {@code value} itself when the service receives no such key. */
  private EnvVar fromConfig(String name, String key, String value) {
    if (key == null) {
      return new EnvVarBuilder().withName(name).withValue(EnvValues.Syntax.KUBERNETES.escape(value)).build();
    }
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewConfigMapKeyRef()
        .withName(configMapName(cfg)).withKey(key).endConfigMapKeyRef().endValueFrom().build();
  }

  /**
   * Completes the objects after fragments were merged: the ConfigMap's hash on the pod template (a configuration
   * change rolls the pods), the migration Job's name from a hash of its content and of the migrations (a Job's
   * template is immutable, and a new version must run again), and the list of generated kinds on the ConfigMap.
   *
   * @param migrationsFingerprint hash of the migration scripts, so new scripts give a new Job
   */
  public static void finish(EffectiveConfig cfg, List<HasMetadata> objects, String migrationsFingerprint) {
    ConfigMap cm = null;
    for (HasMetadata o : objects) {
      if (o instanceof ConfigMap c && c.getMetadata().getName().equals(configMapName(cfg))) {
        cm = c;
      }
    }
    String configHash = cm == null ? "none" : sha256(K8sYaml.json(cm.getData() == null ? Map.of() : cm.getData()));
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null
          && Labels.SERVER.equals(labelOf(d, Labels.COMPONENT))) {
        ObjectMeta m = d.getSpec().getTemplate().getMetadata();
        if (m == null) {
          m = new ObjectMeta();
          d.getSpec().getTemplate().setMetadata(m);
        }
        Map<String, String> ann = new TreeMap<>(m.getAnnotations() == null ? Map.of() : m.getAnnotations());
        ann.put(CONFIG_HASH, configHash.substring(0, 16));
        m.setAnnotations(ann);
      }
      if (o instanceof Job j && Labels.MIGRATION.equals(labelOf(j, Labels.COMPONENT))) {
        String hash = sha256(K8sYaml.json(j.getSpec()) + "\n" + configHash + "\n" + migrationsFingerprint);
        String base = cfg.service().name() + "-migrate";
        if (base.length() > 63 - 9) {
          base = base.substring(0, 63 - 9).replaceAll("-+$", "");
        }
        j.getMetadata().setName(base + "-" + hash.substring(0, 8));
      }
    }
    if (cm != null) {
      TreeSet<String> kinds = new TreeSet<>();
      for (HasMetadata o : objects) {
        kinds.add(o.getApiVersion() + "/" + o.getKind());
      }
      Map<String, String> ann = new TreeMap<>(cm.getMetadata().getAnnotations() == null ? Map.of()
          : cm.getMetadata().getAnnotations());
      ann.put(KINDS, String.join(",", kinds));
      cm.getMetadata().setAnnotations(ann);
    }
  }

  static String labelOf(HasMetadata o, String label) {
    Map<String, String> labels = o.getMetadata() == null ? null : o.getMetadata().getLabels();
    return labels == null ? null : labels.get(label);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
