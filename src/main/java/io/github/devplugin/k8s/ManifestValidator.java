package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Names;
import io.github.devplugin.core.Problem;
import io.github.devplugin.config.Quantities;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validates the final objects of one environment before anything is written: the model (fields the Kubernetes API
 * does not know), the structure (required fields, labels that selectors match, probe and Service ports that exist,
 * HPA bounds, references between objects) and the policy (Pod Security "restricted", resources, probes, a rolling
 * update that keeps capacity, a preStop pause, immutable images in environments that forbid mutable tags, no inline
 * Secrets where they are not allowed). Every problem names the object, the field and the fix. Policy rules can be
 * waived per service with {@code <kubernetes><policyExceptions>}; a waived rule is reported as a warning.
 */
public final class ManifestValidator {
  /** What validation found: errors fail the build, warnings are logged. */
  public record Report(List<Problem> errors, List<String> warnings) {}

  private final EffectiveConfig cfg;
  private final ImageChoice image;
  private final List<HasMetadata> objects;
  private final Map<String, List<String>> origins;
  private final Map<String, Problem> errors = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  public ManifestValidator(EffectiveConfig cfg, ImageChoice image, List<HasMetadata> objects,
      Map<String, List<String>> origins) {
    this.cfg = cfg;
    this.image = image;
    this.objects = objects;
    this.origins = origins;
  }

  public Report validate() {
    Set<String> seen = new HashSet<>();
    for (HasMetadata o : objects) {
      if (!seen.add(Fragments.key(o))) {
        error(o, "metadata.name", "is generated twice.", "give the fragment's object another metadata.name.");
      }
      model(o);
      metadata(o);
      if (o instanceof Deployment d) {
        deployment(d);
      } else if (o instanceof Job j) {
        job(j);
      } else if (o instanceof Service s) {
        service(s);
      } else if (o instanceof Ingress i) {
        ingress(i);
      } else if (o instanceof HorizontalPodAutoscaler h) {
        hpa(h);
      } else if (o instanceof PodDisruptionBudget p) {
        pdb(p);
      } else if (o instanceof PersistentVolumeClaim pvc) {
        pvc(pvc);
      } else if (o instanceof Secret s) {
        secret(s);
      } else if (o instanceof ConfigMap c) {
        configMap(c);
      }
    }
    return new Report(List.copyOf(errors.values()), List.copyOf(warnings));
  }

  // ---- reporting

  private String element(HasMetadata o, String field) {
    String key = Fragments.key(o);
    List<String> from = origins.get(key);
    return key + (field == null || field.isEmpty() ? "" : " " + field)
        + (from == null || from.isEmpty() ? "" : " (from " + String.join(", ", from) + ")");
  }

  private void error(HasMetadata o, String field, String message, String fix) {
    Problem p = new Problem(element(o, field), message, fix);
    errors.putIfAbsent(p.toString(), p);
  }

  private void policy(String rule, HasMetadata o, String field, String message, String fix) {
    if (cfg.kubernetes().policyExceptions().contains(rule)) {
      warnings.add(element(o, field) + ": " + message + " (policy rule '" + rule
          + "' waived by <kubernetes><policyExceptions>)");
      return;
    }
    error(o, field, message + " [policy " + rule + "]", fix + " (To accept the risk, add <exception>" + rule
        + "</exception> to <kubernetes><policyExceptions>.)");
  }

  private void warn(HasMetadata o, String field, String message) {
    warnings.add(element(o, field) + ": " + message);
  }

  // ---- model

  /** Fields the model does not know end up in additionalProperties: a typo or a field of another kind. */
  private void model(HasMetadata o) {
    if (o instanceof GenericKubernetesResource) {
      return;
    }
    walk(o, "", o);
  }

  private void walk(Object value, String path, HasMetadata owner) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> c) {
      int i = 0;
      for (Object item : c) {
        walk(item, path + "[" + identityOf(item, i) + "]", owner);
        i++;
      }
      return;
    }
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (isModel(e.getValue())) {
          walk(e.getValue(), path + "." + e.getKey(), owner);
        }
      }
      return;
    }
    if (!isModel(value) || value instanceof Quantity || value instanceof IntOrString) {
      return;
    }
    for (Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class || m.getName().equals("getClass")) {
        continue;
      }
      Object v;
      try {
        v = m.invoke(value);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra) {
          for (Object k : extra.keySet()) {
            String field = (path.isEmpty() ? "" : path + ".") + k;
            error(owner, field, "is not a field of " + owner.getKind() + " here (" + value.getClass().getSimpleName()
                + ").", "check the spelling and indentation against `kubectl explain "
                + owner.getKind().toLowerCase(java.util.Locale.ROOT) + "." + stripIndexes(field) + "`.");
          }
        }
        continue;
      }
      String prop = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      walk(v, path.isEmpty() ? prop : path + "." + prop, owner);
    }
  }

  private static String stripIndexes(String path) {
    return path.replaceAll("\\[[^]]*]", "");
  }

  private static boolean isModel(Object v) {
    return v != null && (v instanceof Collection || v instanceof Map
        || v.getClass().getName().startsWith("io.fabric8.kubernetes.api.model"));
  }

  private static String identityOf(Object item, int index) {
    if (item instanceof Container c && c.getName() != null) {
      return c.getName();
    }
    if (item instanceof EnvVar e && e.getName() != null) {
      return e.getName();
    }
    if (item instanceof Volume v && v.getName() != null) {
      return v.getName();
    }
    if (item instanceof ContainerPort p && p.getContainerPort() != null) {
      return String.valueOf(p.getContainerPort());
    }
    return String.valueOf(index);
  }

  // ---- every object

  private void metadata(HasMetadata o) {
    String name = o.getMetadata() == null ? null : o.getMetadata().getName();
    if (name == null || !Names.isHost(name)) {
      error(o, "metadata.name", "'" + name + "' is not a valid object name.",
          "use lower case letters, digits, '-' and '.'.");
    }
    boolean namespaced = o instanceof Namespaced || o instanceof GenericKubernetesResource;
    if (namespaced && !cfg.kubernetes().namespace().equals(o.getMetadata().getNamespace())) {
      error(o, "metadata.namespace", "is '" + o.getMetadata().getNamespace() + "', not the service's namespace '"
          + cfg.kubernetes().namespace() + "'; apply, prune and undeploy only look there.",
          "remove metadata.namespace from the fragment (it is set for you) or change <kubernetes><namespace>.");
    }
    Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    for (Map.Entry<String, String> e : Labels.ownership(cfg).entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        error(o, "metadata.labels." + e.getKey(), "must be '" + e.getValue() + "' (apply prunes and undeploy deletes"
            + " by it).", "do not change or delete this label in fragments.");
      }
    }
    labels.forEach((k, v) -> {
      if (!io.github.devplugin.config.KubernetesSettings.isLabelValue(v)) {
        error(o, "metadata.labels." + k, "'" + v + "' is not a valid label value.",
            "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
      }
    });
  }

  // ---- workloads

  private void deployment(Deployment d) {
    if (d.getSpec() == null || d.getSpec().getTemplate() == null) {
      error(d, "spec.template", "is missing.", "a Deployment needs spec.template with containers.");
      return;
    }
    Map<String, String> selector = d.getSpec().getSelector() == null ? null
        : d.getSpec().getSelector().getMatchLabels();
    Map<String, String> podLabels = labels(d.getSpec().getTemplate());
    if (selector == null || selector.isEmpty()) {
      error(d, "spec.selector.matchLabels", "is empty.", "select the pods by app.kubernetes.io/name, instance and"
          + " component.");
    } else {
      selector.forEach((k, v) -> {
        if (!v.equals(podLabels.get(k))) {
          error(d, "spec.selector.matchLabels." + k, "selects '" + v + "', but the pod template's label is '"
              + podLabels.get(k) + "'; the Deployment would select no pods.",
              "make spec.template.metadata.labels agree with spec.selector.matchLabels.");
        }
      });
      if (selector.containsKey(Labels.VERSION)) {
        error(d, "spec.selector.matchLabels." + Labels.VERSION, "puts the version into the selector, which is"
            + " immutable: the next version's deploy would fail.", "select by name, instance and component only.");
      }
    }
    DeploymentStrategy strategy = d.getSpec().getStrategy();
    if (strategy == null || !"RollingUpdate".equals(strategy.getType()) || strategy.getRollingUpdate() == null
        || !isZero(strategy.getRollingUpdate().getMaxUnavailable())) {
      policy("rolling-update", d, "spec.strategy", "the update may drop below the desired replicas.",
          "use type RollingUpdate with rollingUpdate.maxUnavailable 0 and a non-zero maxSurge.");
    } else if (isZero(strategy.getRollingUpdate().getMaxSurge())) {
      error(d, "spec.strategy.rollingUpdate.maxSurge", "is 0 while maxUnavailable is 0: the rollout cannot"
          + " progress.", "use maxSurge 1 or 25%.");
    }
    for (HasMetadata o : objects) {
      if (o instanceof HorizontalPodAutoscaler h && h.getSpec() != null && h.getSpec().getScaleTargetRef() != null
          && "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
          && d.getMetadata().getName().equals(h.getSpec().getScaleTargetRef().getName())
          && d.getSpec().getReplicas() != null) {
        error(d, "spec.replicas", "is set while " + Fragments.key(h) + " scales this Deployment; every apply"
            + " would reset the autoscaler's choice.", "remove spec.replicas (the HPA's minReplicas applies).");
      }
    }
    pod(d, d.getSpec().getTemplate(), true);
  }

  private void job(Job j) {
    if (j.getSpec() == null || j.getSpec().getTemplate() == null) {
      error(j, "spec.template", "is missing.", "a Job needs spec.template with containers.");
      return;
    }
    String restart = j.getSpec().getTemplate().getSpec() == null ? null
        : j.getSpec().getTemplate().getSpec().getRestartPolicy();
    if (!"Never".equals(restart) && !"OnFailure".equals(restart)) {
      error(j, "spec.template.spec.restartPolicy", "is '" + restart + "'; a Job needs Never or OnFailure.",
          "use restartPolicy: Never.");
    }
    pod(j, j.getSpec().getTemplate(), false);
  }

  private void pod(HasMetadata owner, PodTemplateSpec template, boolean server) {
    String base = "spec.template.spec";
    PodSpec spec = template.getSpec();
    if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) {
      error(owner, base + ".containers", "is empty.", "declare the container that runs the service.");
      return;
    }
    if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
        || Boolean.TRUE.equals(spec.getHostIPC())) {
      policy("host-namespaces", owner, base, "shares the node's network, PID or IPC namespace.",
          "remove hostNetwork, hostPID and hostIPC.");
    }
    if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
      policy("service-account-token", owner, base + ".automountServiceAccountToken",
          "mounts an API token the service does not need.", "set automountServiceAccountToken: false.");
    }
    Set<String> volumeNames = new HashSet<>();
    for (Volume v : list(spec.getVolumes())) {
      if (!volumeNames.add(v.getName())) {
        error(owner, base + ".volumes[" + v.getName() + "]", "volume name '" + v.getName() + "' is used twice.",
            "give each volume its own name.");
      }
      if (v.getHostPath() != null) {
        policy("host-path", owner, base + ".volumes[" + v.getName() + "].hostPath",
            "mounts a directory of the node.", "use an emptyDir or a PersistentVolumeClaim.");
      }
      if (v.getPersistentVolumeClaim() != null && objects.stream().noneMatch(o -> o instanceof PersistentVolumeClaim
          && o.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName()))) {
        warn(owner, base + ".volumes[" + v.getName() + "]", "claims PersistentVolumeClaim '"
            + v.getPersistentVolumeClaim().getClaimName() + "', which is not generated: it must exist in the cluster.");
      }
    }
    PodSecurityContext psc = spec.getSecurityContext();
    boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
    boolean podSeccomp = psc != null && psc.getSeccompProfile() != null
        && List.of("RuntimeDefault", "Localhost").contains(psc.getSeccompProfile().getType());
    if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
      policy("run-as-non-root", owner, base + ".securityContext.runAsUser", "runs as root (0).",
          "use a non-zero numeric user, e.g. 10001 (<image><user>).");
    }
    for (Container c : spec.getContainers()) {
      container(owner, base + ".containers[" + c.getName() + "]", c, volumeNames, podNonRoot, podSeccomp);
    }
    for (Container c : list(spec.getInitContainers())) {
      container(owner, base + ".initContainers[" + c.getName() + "]", c, volumeNames, podNonRoot, podSeccomp);
    }
    if (server) {
      Container main = spec.getContainers().stream().filter(c -> cfg.service().name().equals(c.getName()))
          .findFirst().orElse(spec.getContainers().get(0));
      String path = base + ".containers[" + main.getName() + "]";
      if (main.getReadinessProbe() == null || main.getLivenessProbe() == null || main.getStartupProbe() == null) {
        policy("probes", owner, path, "needs startup, readiness and liveness probes: without them traffic reaches"
            + " pods that are not ready and hung pods are never restarted.",
            "keep the generated probes (timings: <kubernetes><probes>).");
      }
      Long preStop = main.getLifecycle() == null || main.getLifecycle().getPreStop() == null
          || main.getLifecycle().getPreStop().getSleep() == null ? null
          : main.getLifecycle().getPreStop().getSleep().getSeconds();
      boolean otherPreStop = main.getLifecycle() != null && main.getLifecycle().getPreStop() != null
          && preStop == null;
      if (preStop == null && !otherPreStop) {
        policy("pre-stop", owner, path + ".lifecycle.preStop", "has no preStop pause: requests still routed to a"
            + " terminating pod fail.", "set <kubernetes><preStopSeconds> to 5 or more.");
      }
      long grace = spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds();
      if (preStop != null && grace <= preStop) {
        error(owner, base + ".terminationGracePeriodSeconds", grace + "s is not longer than the preStop pause of "
            + preStop + "s: the process is killed before it can shut down.",
            "make <kubernetes><terminationGracePeriodSeconds> longer than <preStopSeconds>.");
      }
    }
  }

  private void container(HasMetadata owner, String path, Container c, Set<String> volumeNames, boolean podNonRoot,
      boolean podSeccomp) {
    if (c.getName() == null || !Names.isDnsLabel(c.getName())) {
      error(owner, path + ".name", "'" + c.getName() + "' is not a valid container name.",
          "use lower case letters, digits and '-'.");
    }
    if (c.getImage() == null || c.getImage().isBlank()) {
      error(owner, path + ".image", "is missing.", "set the image (devplugin fills in the service's own image).");
    } else if (!cfg.image().allowMutableTags() && new ImageChoice(c.getImage(), "").isMutable()) {
      error(owner, path + ".image", "'" + c.getImage() + "' is a mutable tag, which environment '"
          + cfg.environment() + "' forbids: a restart could run a different image.",
          "run devplugin:image first so target/devplugin/image.json pins the digest, or use a release version"
              + " (not latest or -SNAPSHOT) in <image><to>.");
    }
    // ports
    Map<String, Integer> names = new HashMap<>();
    Set<Integer> numbers = new HashSet<>();
    for (ContainerPort p : list(c.getPorts())) {
      String pp = path + ".ports[" + p.getContainerPort() + "]";
      if (p.getContainerPort() == null || p.getContainerPort() < 1 || p.getContainerPort() > 65535) {
        error(owner, pp + ".containerPort", "'" + p.getContainerPort() + "' is not a port number.",
            "use a number from 1 to 65535.");
        continue;
      }
      if (!numbers.add(p.getContainerPort())) {
        error(owner, pp, "port " + p.getContainerPort() + " is declared twice.", "declare each port once.");
      }
      if (p.getName() != null) {
        if (!Names.isPortName(p.getName())) {
          error(owner, pp + ".name", "'" + p.getName() + "' is not a valid port name.",
              "use at most 15 lower case letters, digits and '-', with at least one letter.");
        }
        Integer other = names.putIfAbsent(p.getName(), p.getContainerPort());
        if (other != null) {
          error(owner, pp + ".name", "port name '" + p.getName() + "' is used twice (ports " + other + " and "
              + p.getContainerPort() + ").", "give each port its own name.");
        }
      }
      if (p.getHostPort() != null && p.getHostPort() != 0) {
        policy("host-port", owner, pp + ".hostPort", "binds a port of the node.", "remove hostPort; use a Service.");
      }
    }
    // probes
    probe(owner, path + ".startupProbe", c.getStartupProbe(), names, numbers);
    probe(owner, path + ".readinessProbe", c.getReadinessProbe(), names, numbers);
    probe(owner, path + ".livenessProbe", c.getLivenessProbe(), names, numbers);
    // resources
    resources(owner, path + ".resources", c.getResources());
    // env
    Set<String> envNames = new HashSet<>();
    for (EnvVar e : list(c.getEnv())) {
      if (!envNames.add(e.getName())) {
        error(owner, path + ".env[" + e.getName() + "]", "environment variable '" + e.getName()
            + "' is declared twice.", "declare it once (fragments merge env entries by name).");
      }
      if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
        String cm = e.getValueFrom().getConfigMapKeyRef().getName();
        String key = e.getValueFrom().getConfigMapKeyRef().getKey();
        objects.stream().filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(cm)).findFirst()
            .ifPresent(o -> {
              Map<String, String> data = ((ConfigMap) o).getData();
              if ((data == null || !data.containsKey(key))
                  && !Boolean.TRUE.equals(e.getValueFrom().getConfigMapKeyRef().getOptional())) {
                error(owner, path + ".env[" + e.getName() + "].valueFrom.configMapKeyRef", "reads key '" + key
                    + "', which ConfigMap " + cm + " does not have.", "add the key or correct the reference.");
              }
            });
      }
      if (e.getValue() != null && Names.looksSecret(e.getName()) && !e.getValue().isEmpty()) {
        error(owner, path + ".env[" + e.getName() + "].value", "looks like a secret written in plain text.",
            "declare it under <secrets>; the container then reads it from the Secret.");
      }
    }
    for (EnvFromSource ef : list(c.getEnvFrom())) {
      if (ef.getConfigMapRef() != null && objects.stream().noneMatch(o -> o instanceof ConfigMap
          && o.getMetadata().getName().equals(ef.getConfigMapRef().getName()))) {
        warn(owner, path + ".envFrom", "reads ConfigMap '" + ef.getConfigMapRef().getName()
            + "', which is not generated: it must exist in the cluster.");
      }
    }
    for (VolumeMount m : list(c.getVolumeMounts())) {
      if (!volumeNames.contains(m.getName())) {
        error(owner, path + ".volumeMounts[" + m.getMountPath() + "]", "mounts volume '" + m.getName()
            + "', which the pod does not declare.", "add it to spec.template.spec.volumes or fix the name.");
      }
    }
    // security
    SecurityContext sc = c.getSecurityContext();
    if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      policy("privilege-escalation", owner, path + ".securityContext.allowPrivilegeEscalation",
          "is not false.", "set allowPrivilegeEscalation: false.");
    }
    if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
      policy("privileged", owner, path + ".securityContext.privileged", "runs a privileged container.",
          "remove privileged: true.");
    }
    Capabilities caps = sc == null ? null : sc.getCapabilities();
    if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
      policy("capabilities", owner, path + ".securityContext.capabilities.drop", "does not drop ALL capabilities.",
          "set capabilities.drop: [ALL].");
    }
    if (caps != null && caps.getAdd() != null) {
      for (String cap : caps.getAdd()) {
        if (!"NET_BIND_SERVICE".equals(cap)) {
          policy("capabilities", owner, path + ".securityContext.capabilities.add", "adds " + cap
              + ", which the restricted profile forbids.", "add at most NET_BIND_SERVICE.");
        }
      }
    }
    boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
    if (!nonRoot || (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0)) {
      policy("run-as-non-root", owner, path + ".securityContext.runAsNonRoot", "may run as root.",
          "set runAsNonRoot: true with a numeric runAsUser (<image><user>).");
    }
    boolean seccomp = sc != null && sc.getSeccompProfile() != null
        ? List.of("RuntimeDefault", "Localhost").contains(sc.getSeccompProfile().getType()) : podSeccomp;
    if (!seccomp) {
      policy("seccomp", owner, path + ".securityContext.seccompProfile", "has no RuntimeDefault seccomp profile.",
          "set seccompProfile.type: RuntimeDefault.");
    }
    if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
      policy("read-only-root-filesystem", owner, path + ".securityContext.readOnlyRootFilesystem",
          "lets the process write to its image.", "set readOnlyRootFilesystem: true and write to /tmp or a volume.");
    }
  }

  private void probe(HasMetadata owner, String path, Probe p, Map<String, Integer> names, Set<Integer> numbers) {
    if (p == null) {
      return;
    }
    IntOrString port = p.getHttpGet() != null ? p.getHttpGet().getPort()
        : p.getTcpSocket() != null ? p.getTcpSocket().getPort() : null;
    if (port != null && !portExists(port, names, numbers)) {
      error(owner, path + ".port", "probes port '" + portText(port) + "', which the container does not declare.",
          "use a declared port name (http) or number.");
    }
    if (p.getHttpGet() != null && (p.getHttpGet().getPath() == null || !p.getHttpGet().getPath().startsWith("/"))) {
      error(owner, path + ".httpGet.path", "'" + p.getHttpGet().getPath() + "' is not an absolute path.",
          "use e.g. /health (<service><healthPath>).");
    }
  }

  private void resources(HasMetadata owner, String path, ResourceRequirements r) {
    Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
    Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
    boolean valid = true;
    for (Map.Entry<String, Map<String, Quantity>> group : Map.of("requests", requests, "limits", limits).entrySet()) {
      for (Map.Entry<String, Quantity> e : group.getValue().entrySet()) {
        String text = e.getValue() == null ? null : e.getValue().toString();
        if (!Quantities.isValid(text)) {
          valid = false;
          error(owner, path + "." + group.getKey() + "." + e.getKey(), "'" + text + "' is not a Kubernetes quantity.",
              "use a number with an optional suffix, e.g. 250m or 0.5 for cpu, 256Mi or 1Gi for memory.");
        } else if ("memory".equals(e.getKey()) && text.endsWith("m")) {
          valid = false;
          error(owner, path + "." + group.getKey() + ".memory", "'" + text + "' means thousandths of a byte.",
              "write " + text.substring(0, text.length() - 1) + "Mi for mebibytes.");
        }
      }
    }
    if (!requests.containsKey("cpu") || !requests.containsKey("memory") || !limits.containsKey("memory")) {
      policy("resources", owner, path, "needs cpu and memory requests and a memory limit: without them the"
          + " scheduler overcommits nodes and one pod can starve the others.",
          "set <service><resources> (or keep the generated ones).");
    }
    if (valid) {
      for (String res : List.of("cpu", "memory")) {
        if (requests.get(res) != null && limits.get(res) != null) {
          BigDecimal rq = Quantity.getAmountInBytes(requests.get(res));
          BigDecimal lm = Quantity.getAmountInBytes(limits.get(res));
          if (rq.compareTo(lm) > 0) {
            error(owner, path + ".limits." + res, "limit " + limits.get(res) + " is lower than the request "
                + requests.get(res) + ".", "raise the limit or lower the request.");
          }
        }
      }
    }
  }

  // ---- networking

  private void service(Service s) {
    if (s.getSpec() == null || s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()) {
      error(s, "spec.ports", "is empty.", "declare at least one port.");
      return;
    }
    Map<String, String> selector = s.getSpec().getSelector();
    Deployment target = null;
    if (selector == null || selector.isEmpty()) {
      error(s, "spec.selector", "is empty: the Service would have no endpoints.", "select the pods by"
          + " app.kubernetes.io/name, instance and component.");
    } else {
      for (HasMetadata o : objects) {
        if (o instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null
            && labels(d.getSpec().getTemplate()).entrySet().containsAll(selector.entrySet())) {
          target = d;
        }
      }
      if (target == null) {
        error(s, "spec.selector", "matches the pods of no generated Deployment (" + selector + ").",
            "make the selector agree with the Deployment's pod template labels.");
      }
    }
    Set<Integer> ports = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (ServicePort p : s.getSpec().getPorts()) {
      String pp = "spec.ports[" + p.getPort() + "]";
      if (p.getPort() == null || !ports.add(p.getPort())) {
        error(s, pp, "port " + p.getPort() + " is missing or declared twice.", "declare each port once.");
      }
      if (s.getSpec().getPorts().size() > 1 && (p.getName() == null || !names.add(p.getName()))) {
        error(s, pp + ".name", "port name '" + p.getName() + "' is missing or used twice.",
            "give each port of a multi-port Service its own name.");
      }
      if (target != null) {
        IntOrString tp = p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort();
        Map<String, Integer> cNames = new HashMap<>();
        Set<Integer> cNumbers = new HashSet<>();
        for (Container c : target.getSpec().getTemplate().getSpec().getContainers()) {
          for (ContainerPort cp : list(c.getPorts())) {
            cNumbers.add(cp.getContainerPort());
            if (cp.getName() != null) {
              cNames.put(cp.getName(), cp.getContainerPort());
            }
          }
        }
        if (!portExists(tp, cNames, cNumbers)) {
          error(s, pp + ".targetPort", "targets '" + portText(tp) + "', which no container of " + Fragments.key(target)
              + " declares.", "use a container port name (" + String.join(", ", new java.util.TreeSet<>(
                  cNames.keySet())) + ") or number.");
        }
      }
    }
  }

  private void ingress(Ingress i) {
    if (i.getSpec() == null || i.getSpec().getRules() == null || i.getSpec().getRules().isEmpty()) {
      error(i, "spec.rules", "is empty.", "add a rule with a host, or set <service><ingress><host>.");
      return;
    }
    Set<String> hosts = new HashSet<>();
    for (int n = 0; n < i.getSpec().getRules().size(); n++) {
      IngressRule r = i.getSpec().getRules().get(n);
      String rp = "spec.rules[" + n + "]";
      if (r.getHost() == null || r.getHost().isBlank()) {
        error(i, rp + ".host", "is missing: a rule without a host takes every host's traffic.",
            "set <service><ingress><host>app.example.com</host> (or the rule's host in the fragment).");
      } else if (!Names.isHost(r.getHost())) {
        error(i, rp + ".host", "'" + r.getHost() + "' is not a valid host name.", "use a DNS name like"
            + " app.example.com.");
      } else {
        hosts.add(r.getHost());
      }
      if (r.getHttp() == null || r.getHttp().getPaths() == null || r.getHttp().getPaths().isEmpty()) {
        error(i, rp + ".http.paths", "is empty.", "route at least one path to the Service.");
        continue;
      }
      for (HTTPIngressPath p : r.getHttp().getPaths()) {
        if (p.getPathType() == null) {
          error(i, rp + ".http.paths[" + p.getPath() + "].pathType", "is missing.", "use Prefix, Exact or"
              + " ImplementationSpecific.");
        }
        IngressServiceBackend b = p.getBackend() == null ? null : p.getBackend().getService();
        if (b == null) {
          continue;
        }
        Service svc = (Service) objects.stream().filter(o -> o instanceof Service
            && o.getMetadata().getName().equals(b.getName())).findFirst().orElse(null);
        String bp = rp + ".http.paths[" + p.getPath() + "].backend.service";
        if (svc == null) {
          error(i, bp + ".name", "routes to Service '" + b.getName() + "', which is not generated.",
              "route to the service's own Service, " + cfg.service().name() + ".");
        } else if (b.getPort() != null && svc.getSpec() != null && svc.getSpec().getPorts() != null
            && svc.getSpec().getPorts().stream().noneMatch(sp -> Objects.equals(sp.getName(), b.getPort().getName())
                && b.getPort().getName() != null || Objects.equals(sp.getPort(), b.getPort().getNumber()))) {
          error(i, bp + ".port", "names a port Service " + b.getName() + " does not have.",
              "use the port name http.");
        }
      }
    }
    for (IngressTLS tls : list(i.getSpec().getTls())) {
      if (tls.getSecretName() == null) {
        error(i, "spec.tls.secretName", "is missing.", "set <service><ingress><tlsSecret>.");
      }
      for (String h : list(tls.getHosts())) {
        if (!hosts.contains(h)) {
          error(i, "spec.tls.hosts", "'" + h + "' has a certificate but no rule.", "add a rule for it or remove it.");
        }
      }
    }
  }

  // ---- scaling

  private void hpa(HorizontalPodAutoscaler h) {
    if (h.getSpec() == null) {
      error(h, "spec", "is missing.", "set minReplicas, maxReplicas and scaleTargetRef.");
      return;
    }
    int min = h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
    Integer max = h.getSpec().getMaxReplicas();
    if (max == null) {
      error(h, "spec.maxReplicas", "is missing.", "set <service><autoscaling><maxReplicas>.");
    } else if (min > max) {
      error(h, "spec.minReplicas", "minReplicas " + min + " is greater than maxReplicas " + max + ".",
          "make <autoscaling><minReplicas> less than or equal to <maxReplicas>.");
    }
    if (min < 1) {
      error(h, "spec.minReplicas", "must be at least 1.", "set <autoscaling><minReplicas> to 1 or more.");
    }
    var ref = h.getSpec().getScaleTargetRef();
    if (ref == null || objects.stream().noneMatch(o -> o.getKind().equals(ref.getKind())
        && o.getMetadata().getName().equals(ref.getName()))) {
      error(h, "spec.scaleTargetRef", "does not name a generated Deployment.", "scale Deployment "
          + cfg.service().name() + ".");
    }
    for (MetricSpec m : list(h.getSpec().getMetrics())) {
      if (m.getResource() != null && m.getResource().getTarget() != null
          && "Utilization".equals(m.getResource().getTarget().getType())
          && (m.getResource().getTarget().getAverageUtilization() == null
              || m.getResource().getTarget().getAverageUtilization() < 1)) {
        error(h, "spec.metrics.resource.target.averageUtilization", "must be a percentage above 0.",
            "set <autoscaling><targetCpuUtilization> from 1 to 100.");
      }
    }
  }

  private void pdb(PodDisruptionBudget p) {
    if (p.getSpec() == null || p.getSpec().getSelector() == null
        || p.getSpec().getSelector().getMatchLabels() == null) {
      error(p, "spec.selector", "is missing.", "select the pods like the Deployment does.");
      return;
    }
    if (p.getSpec().getMinAvailable() == null && p.getSpec().getMaxUnavailable() == null) {
      error(p, "spec", "sets neither minAvailable nor maxUnavailable.", "set maxUnavailable: 1.");
    }
    Map<String, String> sel = p.getSpec().getSelector().getMatchLabels();
    boolean matches = false;
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null
          && labels(d.getSpec().getTemplate()).entrySet().containsAll(sel.entrySet())) {
        matches = true;
        Integer replicas = d.getSpec().getReplicas();
        if (replicas != null && replicas <= 1 && isZero(p.getSpec().getMaxUnavailable())) {
          warn(p, "spec.maxUnavailable", "0 with " + replicas + " replica blocks every node drain.");
        }
      }
    }
    if (!matches) {
      error(p, "spec.selector", "matches the pods of no generated Deployment.", "select the pods like the"
          + " Deployment does.");
    }
  }

  private void pvc(PersistentVolumeClaim pvc) {
    if (pvc.getSpec() == null || pvc.getSpec().getAccessModes() == null || pvc.getSpec().getAccessModes().isEmpty()) {
      error(pvc, "spec.accessModes", "is empty.", "set <volume><accessMode>.");
      return;
    }
    Quantity storage = pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null
        ? null : pvc.getSpec().getResources().getRequests().get("storage");
    if (storage == null || !Quantities.isValid(storage.toString())) {
      error(pvc, "spec.resources.requests.storage", "'" + storage + "' is not a storage size.",
          "use e.g. <size>1Gi</size>.");
    }
    int replicas = cfg.service().autoscaling().enabled() ? cfg.service().autoscaling().maxReplicas()
        : cfg.service().replicas();
    if (replicas > 1 && pvc.getSpec().getAccessModes().contains("ReadWriteOncePod")) {
      error(pvc, "spec.accessModes", "ReadWriteOncePod lets one pod use the volume, but the service runs up to "
          + replicas + " replicas (and a rolling update starts a second pod).",
          "use ReadWriteMany, or one replica with ReadWriteOnce.");
    } else if (replicas > 1 && pvc.getSpec().getAccessModes().contains("ReadWriteOnce")) {
      warn(pvc, "spec.accessModes", "ReadWriteOnce with " + replicas + " replicas works only while all pods run"
          + " on one node; use ReadWriteMany to spread them.");
    }
  }

  // ---- configuration

  private void secret(Secret s) {
    boolean hasValues = (s.getData() != null && !s.getData().isEmpty())
        || (s.getStringData() != null && !s.getStringData().isEmpty());
    if (!hasValues) {
      return;
    }
    if (cfg.isProduction()) {
      error(s, "data", "is an inline Secret in prod: its values would be written into the manifests.",
          "delete the fragment and create the Secret out of band (kubectl create secret, sealed-secrets, an"
              + " external secret operator); the Deployment references it by name.");
    } else if (!cfg.kubernetes().inlineSecrets()) {
      error(s, "data", "is an inline Secret, which environment '" + cfg.environment() + "' does not allow.",
          "create the Secret out of band, or let devplugin:apply create it from <secrets> with"
              + " <kubernetes><inlineSecrets>true</inlineSecrets> (never in prod).");
    }
  }

  private void configMap(ConfigMap c) {
    if (c.getData() == null) {
      return;
    }
    boolean envSource = objects.stream().anyMatch(o -> o instanceof Deployment d && d.getSpec() != null
        && d.getSpec().getTemplate() != null && d.getSpec().getTemplate().getSpec() != null
        && d.getSpec().getTemplate().getSpec().getContainers().stream().anyMatch(ct -> list(ct.getEnvFrom()).stream()
            .anyMatch(ef -> ef.getConfigMapRef() != null
                && c.getMetadata().getName().equals(ef.getConfigMapRef().getName()))));
    for (String k : c.getData().keySet()) {
      if (!k.matches("[-._a-zA-Z0-9]+")) {
        error(c, "data." + k, "'" + k + "' is not a valid ConfigMap key.", "use letters, digits, '-', '_', '.'.");
      } else if (envSource && !Names.isEnvVarName(k)) {
        error(c, "data." + k, "'" + k + "' is not an environment variable name, so the container would not see it.",
            "use letters, digits and '_'.");
      }
    }
  }

  // ---- helpers

  private static Map<String, String> labels(PodTemplateSpec t) {
    return t.getMetadata() == null || t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels();
  }

  private static boolean isZero(IntOrString v) {
    if (v == null) {
      return false;
    }
    if (v.getIntVal() != null) {
      return v.getIntVal() == 0;
    }
    return "0".equals(v.getStrVal()) || "0%".equals(v.getStrVal());
  }

  private static boolean portExists(IntOrString port, Map<String, Integer> names, Set<Integer> numbers) {
    if (port.getIntVal() != null) {
      return numbers.contains(port.getIntVal());
    }
    String s = port.getStrVal();
    if (s != null && s.matches("\\d+")) {
      return numbers.contains(Integer.parseInt(s));
    }
    return names.containsKey(s);
  }

  private static String portText(IntOrString p) {
    return p.getIntVal() != null ? String.valueOf(p.getIntVal()) : p.getStrVal();
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
