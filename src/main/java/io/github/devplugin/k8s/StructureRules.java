package io.github.devplugin.k8s;

import static io.github.devplugin.k8s.Findings.list;

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
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.KubernetesSettings;
import io.github.devplugin.config.Names;
import io.github.devplugin.config.Quantities;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structure rules of every object's metadata and of the workloads (Deployment, Job), their pods and containers:
 * required fields, labels that selectors match, names used once, ports, probes that reach a declared port,
 * valid quantities, references to volumes and ConfigMap keys, no plain-text secrets, immutable images where the
 * environment forbids mutable tags. A violation is an error; a reference to something not generated is a warning.
 */
final class StructureRules {
  private final EffectiveConfig cfg;
  private final List<HasMetadata> objects;
  private final Findings findings;

  StructureRules(EffectiveConfig cfg, List<HasMetadata> objects, Findings findings) {
    this.cfg = cfg;
    this.objects = objects;
    this.findings = findings;
  }

  /** A container's declared ports, by name and by number. */
  record Ports(Map<String, Integer> names, Set<Integer> numbers) {
    static Ports of(List<Container> containers) {
      Map<String, Integer> names = new HashMap<>();
      Set<Integer> numbers = new HashSet<>();
      for (Container c : containers) {
        for (ContainerPort cp : list(c.getPorts())) {
          numbers.add(cp.getContainerPort());
          if (cp.getName() != null) {
            names.put(cp.getName(), cp.getContainerPort());
          }
        }
      }
      return new Ports(names, numbers);
    }

    boolean has(IntOrString port) {
      if (port.getIntVal() != null) {
        return numbers.contains(port.getIntVal());
      }
      String s = port.getStrVal();
      if (s != null && s.matches("\\d+")) {
        return numbers.contains(Integer.parseInt(s));
      }
      return names.containsKey(s);
    }
  }

  // ---- every object

  void metadata(HasMetadata o) {
    String name = o.getMetadata() == null ? null : o.getMetadata().getName();
    if (name == null || !Names.isHost(name)) {
      findings.error(o, "metadata.name", "'" + name + "' is not a valid object name.",
          "use lower case letters, digits, '-' and '.'.");
    }
    boolean namespaced = o instanceof Namespaced || o instanceof GenericKubernetesResource;
    if (namespaced && !cfg.kubernetes().namespace().equals(o.getMetadata().getNamespace())) {
      findings.error(o, "metadata.namespace", "is '" + o.getMetadata().getNamespace() + "', not the service's"
          + " namespace '" + cfg.kubernetes().namespace() + "'; apply, prune and undeploy only look there.",
          "remove metadata.namespace from the fragment (it is set for you) or change <kubernetes><namespace>.");
    }
    Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    for (Map.Entry<String, String> e : Labels.ownership(cfg).entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        findings.error(o, "metadata.labels." + e.getKey(), "must be '" + e.getValue() + "' (apply prunes and"
            + " undeploy deletes by it).", "do not change or delete this label in fragments.");
      }
    }
    labels.forEach((k, v) -> {
      if (!KubernetesSettings.isLabelValue(v)) {
        findings.error(o, "metadata.labels." + k, "'" + v + "' is not a valid label value.",
            "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
      }
    });
  }

  // ---- workloads

  /** The template and the selector; false when there is no template to check further. */
  boolean deployment(Deployment d) {
    if (d.getSpec() == null || d.getSpec().getTemplate() == null) {
      findings.error(d, "spec.template", "is missing.", "a Deployment needs spec.template with containers.");
      return false;
    }
    Map<String, String> selector = d.getSpec().getSelector() == null ? null
        : d.getSpec().getSelector().getMatchLabels();
    Map<String, String> podLabels = labels(d.getSpec().getTemplate());
    if (selector == null || selector.isEmpty()) {
      findings.error(d, "spec.selector.matchLabels", "is empty.", "select the pods by app.kubernetes.io/name,"
          + " instance and component.");
    } else {
      selector.forEach((k, v) -> {
        if (!v.equals(podLabels.get(k))) {
          findings.error(d, "spec.selector.matchLabels." + k, "selects '" + v + "', but the pod template's label is '"
              + podLabels.get(k) + "'; the Deployment would select no pods.",
              "make spec.template.metadata.labels agree with spec.selector.matchLabels.");
        }
      });
      if (selector.containsKey(Labels.VERSION)) {
        findings.error(d, "spec.selector.matchLabels." + Labels.VERSION, "puts the version into the selector,"
            + " which is immutable: the next version's deploy would fail.",
            "select by name, instance and component only.");
      }
    }
    return true;
  }

  /** A rolling update with neither unavailable nor surge pods cannot progress. */
  void rolloutProgress(Deployment d) {
    DeploymentStrategy strategy = d.getSpec().getStrategy();
    if (strategy != null && "RollingUpdate".equals(strategy.getType()) && strategy.getRollingUpdate() != null
        && isZero(strategy.getRollingUpdate().getMaxUnavailable())
        && isZero(strategy.getRollingUpdate().getMaxSurge())) {
      findings.error(d, "spec.strategy.rollingUpdate.maxSurge", "is 0 while maxUnavailable is 0: the rollout cannot"
          + " progress.", "use maxSurge 1 or 25%.");
    }
  }

  /** spec.replicas fights an autoscaler that scales the same Deployment. */
  void replicasUnderAutoscaler(Deployment d) {
    for (HasMetadata o : objects) {
      if (o instanceof HorizontalPodAutoscaler h && h.getSpec() != null && h.getSpec().getScaleTargetRef() != null
          && "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
          && d.getMetadata().getName().equals(h.getSpec().getScaleTargetRef().getName())
          && d.getSpec().getReplicas() != null) {
        findings.error(d, "spec.replicas", "is set while " + Fragments.key(h) + " scales this Deployment; every"
            + " apply would reset the autoscaler's choice.", "remove spec.replicas (the HPA's minReplicas applies).");
      }
    }
  }

  /** The template and the restart policy; false when there is no template to check further. */
  boolean job(Job j) {
    if (j.getSpec() == null || j.getSpec().getTemplate() == null) {
      findings.error(j, "spec.template", "is missing.", "a Job needs spec.template with containers.");
      return false;
    }
    String restart = j.getSpec().getTemplate().getSpec() == null ? null
        : j.getSpec().getTemplate().getSpec().getRestartPolicy();
    if (!"Never".equals(restart) && !"OnFailure".equals(restart)) {
      findings.error(j, "spec.template.spec.restartPolicy", "is '" + restart + "'; a Job needs Never or OnFailure.",
          "use restartPolicy: Never.");
    }
    return true;
  }

  // ---- pods

  /** False (and an error) when the pod has no container. */
  boolean hasContainers(HasMetadata owner, String base, PodSpec spec) {
    if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) {
      findings.error(owner, base + ".containers", "is empty.", "declare the container that runs the service.");
      return false;
    }
    return true;
  }

  /** Volume names used once, claims that are generated; returns the declared names. */
  Set<String> volumes(HasMetadata owner, String base, PodSpec spec) {
    Set<String> volumeNames = new HashSet<>();
    for (Volume v : list(spec.getVolumes())) {
      if (!volumeNames.add(v.getName())) {
        findings.error(owner, base + ".volumes[" + v.getName() + "]", "volume name '" + v.getName()
            + "' is used twice.", "give each volume its own name.");
      }
      if (v.getPersistentVolumeClaim() != null && objects.stream().noneMatch(o -> o instanceof PersistentVolumeClaim
          && o.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName()))) {
        findings.warn(owner, base + ".volumes[" + v.getName() + "]", "claims PersistentVolumeClaim '"
            + v.getPersistentVolumeClaim().getClaimName() + "', which is not generated: it must exist in the"
            + " cluster.");
      }
    }
    return volumeNames;
  }

  /** The grace period must outlast the main container's preStop pause. */
  void gracePeriod(HasMetadata owner, String base, PodSpec spec, Container main) {
    Long preStop = preStopSleep(main);
    long grace = spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds();
    if (preStop != null && grace <= preStop) {
      findings.error(owner, base + ".terminationGracePeriodSeconds", grace + "s is not longer than the preStop"
          + " pause of " + preStop + "s: the process is killed before it can shut down.",
          "make <kubernetes><terminationGracePeriodSeconds> longer than <preStopSeconds>.");
    }
  }

  // ---- containers

  void containerName(ManifestValidator.ContainerAt at) {
    Container c = at.container();
    if (c.getName() == null || !Names.isDnsLabel(c.getName())) {
      findings.error(at.owner(), at.path() + ".name", "'" + c.getName() + "' is not a valid container name.",
          "use lower case letters, digits and '-'.");
    }
  }

  void image(ManifestValidator.ContainerAt at) {
    Container c = at.container();
    if (c.getImage() == null || c.getImage().isBlank()) {
      findings.error(at.owner(), at.path() + ".image", "is missing.",
          "set the image (devplugin fills in the service's own image).");
    } else if (!cfg.image().allowMutableTags() && new ImageChoice(c.getImage(), "").isMutable()) {
      findings.error(at.owner(), at.path() + ".image", "'" + c.getImage() + "' is a mutable tag, which environment '"
          + cfg.environment() + "' forbids: a restart could run a different image.",
          "run devplugin:image first so target/devplugin/image.json pins the digest, or use a release version"
              + " (not latest or -SNAPSHOT) in <image><to>.");
    }
  }

  /** Valid port numbers and names, each used once; returns the declared ports. */
  Ports ports(ManifestValidator.ContainerAt at) {
    Map<String, Integer> names = new HashMap<>();
    Set<Integer> numbers = new HashSet<>();
    for (ContainerPort p : list(at.container().getPorts())) {
      String pp = at.path() + ".ports[" + p.getContainerPort() + "]";
      if (!isPortNumber(p.getContainerPort())) {
        findings.error(at.owner(), pp + ".containerPort", "'" + p.getContainerPort() + "' is not a port number.",
            "use a number from 1 to 65535.");
        continue;
      }
      if (!numbers.add(p.getContainerPort())) {
        findings.error(at.owner(), pp, "port " + p.getContainerPort() + " is declared twice.",
            "declare each port once.");
      }
      if (p.getName() != null) {
        if (!Names.isPortName(p.getName())) {
          findings.error(at.owner(), pp + ".name", "'" + p.getName() + "' is not a valid port name.",
              "use at most 15 lower case letters, digits and '-', with at least one letter.");
        }
        Integer other = names.putIfAbsent(p.getName(), p.getContainerPort());
        if (other != null) {
          findings.error(at.owner(), pp + ".name", "port name '" + p.getName() + "' is used twice (ports " + other
              + " and " + p.getContainerPort() + ").", "give each port its own name.");
        }
      }
    }
    return new Ports(names, numbers);
  }

  /** Each probe reaches a declared port and an absolute path. */
  void probes(ManifestValidator.ContainerAt at, Ports ports) {
    probe(at, ".startupProbe", at.container().getStartupProbe(), ports);
    probe(at, ".readinessProbe", at.container().getReadinessProbe(), ports);
    probe(at, ".livenessProbe", at.container().getLivenessProbe(), ports);
  }

  private void probe(ManifestValidator.ContainerAt at, String field, Probe p, Ports ports) {
    if (p == null) {
      return;
    }
    String path = at.path() + field;
    IntOrString port = p.getHttpGet() != null ? p.getHttpGet().getPort()
        : p.getTcpSocket() != null ? p.getTcpSocket().getPort() : null;
    if (port != null && !ports.has(port)) {
      findings.error(at.owner(), path + ".port", "probes port '" + portText(port) + "', which the container does"
          + " not declare.", "use a declared port name (http) or number.");
    }
    if (p.getHttpGet() != null && (p.getHttpGet().getPath() == null || !p.getHttpGet().getPath().startsWith("/"))) {
      findings.error(at.owner(), path + ".httpGet.path", "'" + p.getHttpGet().getPath() + "' is not an absolute"
          + " path.", "use e.g. /health (<service><healthPath>).");
    }
  }

  /** Requests and limits are Kubernetes quantities, and no request exceeds its limit. */
  void resources(ManifestValidator.ContainerAt at) {
    String path = at.path() + ".resources";
    ResourceRequirements r = at.container().getResources();
    Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
    Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
    boolean valid = true;
    for (Map.Entry<String, Map<String, Quantity>> group : Map.of("requests", requests, "limits", limits).entrySet()) {
      for (Map.Entry<String, Quantity> e : group.getValue().entrySet()) {
        String text = e.getValue() == null ? null : e.getValue().toString();
        if (!Quantities.isValid(text)) {
          valid = false;
          findings.error(at.owner(), path + "." + group.getKey() + "." + e.getKey(), "'" + text + "' is not a"
              + " Kubernetes quantity.",
              "use a number with an optional suffix, e.g. 250m or 0.5 for cpu, 256Mi or 1Gi for memory.");
        } else if ("memory".equals(e.getKey()) && text.endsWith("m")) {
          valid = false;
          findings.error(at.owner(), path + "." + group.getKey() + ".memory", "'" + text + "' means thousandths of"
              + " a byte.", "write " + text.substring(0, text.length() - 1) + "Mi for mebibytes.");
        }
      }
    }
    if (valid) {
      for (String res : List.of("cpu", "memory")) {
        if (requests.get(res) != null && limits.get(res) != null) {
          BigDecimal rq = Quantity.getAmountInBytes(requests.get(res));
          BigDecimal lm = Quantity.getAmountInBytes(limits.get(res));
          if (rq.compareTo(lm) > 0) {
            findings.error(at.owner(), path + ".limits." + res, "limit " + limits.get(res) + " is lower than the"
                + " request " + requests.get(res) + ".", "raise the limit or lower the request.");
          }
        }
      }
    }
  }

  /** Variables declared once, ConfigMap keys that exist, no secret in plain text. */
  void env(ManifestValidator.ContainerAt at) {
    HasMetadata owner = at.owner();
    String path = at.path();
    Set<String> envNames = new HashSet<>();
    for (EnvVar e : list(at.container().getEnv())) {
      if (!envNames.add(e.getName())) {
        findings.error(owner, path + ".env[" + e.getName() + "]", "environment variable '" + e.getName()
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
                findings.error(owner, path + ".env[" + e.getName() + "].valueFrom.configMapKeyRef", "reads key '"
                    + key + "', which ConfigMap " + cm + " does not have.", "add the key or correct the reference.");
              }
            });
      }
      if (e.getValue() != null && Names.looksSecret(e.getName()) && !e.getValue().isEmpty()) {
        findings.error(owner, path + ".env[" + e.getName() + "].value", "looks like a secret written in plain text.",
            "declare it under <secrets>; the container then reads it from the Secret.");
      }
    }
  }

  void envFrom(ManifestValidator.ContainerAt at) {
    for (EnvFromSource ef : list(at.container().getEnvFrom())) {
      if (ef.getConfigMapRef() != null && objects.stream().noneMatch(o -> o instanceof ConfigMap
          && o.getMetadata().getName().equals(ef.getConfigMapRef().getName()))) {
        findings.warn(at.owner(), at.path() + ".envFrom", "reads ConfigMap '" + ef.getConfigMapRef().getName()
            + "', which is not generated: it must exist in the cluster.");
      }
    }
  }

  void volumeMounts(ManifestValidator.ContainerAt at, Set<String> volumeNames) {
    for (VolumeMount m : list(at.container().getVolumeMounts())) {
      if (!volumeNames.contains(m.getName())) {
        findings.error(at.owner(), at.path() + ".volumeMounts[" + m.getMountPath() + "]", "mounts volume '"
            + m.getName() + "', which the pod does not declare.",
            "add it to spec.template.spec.volumes or fix the name.");
      }
    }
  }

  // ---- helpers

  static Map<String, String> labels(PodTemplateSpec t) {
    return t.getMetadata() == null || t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels();
  }

  static boolean isZero(IntOrString v) {
    if (v == null) {
      return false;
    }
    if (v.getIntVal() != null) {
      return v.getIntVal() == 0;
    }
    return "0".equals(v.getStrVal()) || "0%".equals(v.getStrVal());
  }

  static boolean isPortNumber(Integer port) {
    return port != null && port >= 1 && port <= 65535;
  }

  static String portText(IntOrString p) {
    return p.getIntVal() != null ? String.valueOf(p.getIntVal()) : p.getStrVal();
  }

  /** The seconds of the container's preStop sleep, or null when it has none (or another kind of preStop hook). */
  static Long preStopSleep(Container c) {
    return c.getLifecycle() == null || c.getLifecycle().getPreStop() == null
        || c.getLifecycle().getPreStop().getSleep() == null ? null
        : c.getLifecycle().getPreStop().getSleep().getSeconds();
  }
}
