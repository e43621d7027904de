package io.github.devplugin.k8s;

import static io.github.devplugin.k8s.Findings.list;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import java.util.List;
import java.util.Map;

/**
 * The policy rules: Pod Security "restricted" (no host namespaces, host paths or host ports, no privilege
 * escalation, no privileged containers, ALL capabilities dropped, non-root, a seccomp profile), plus the operational
 * ones a service should keep (a read-only root filesystem, no API token, resources, probes, a preStop pause, a rolling
 * update that keeps capacity). Each rule has an id that {@code <kubernetes><policyExceptions>} can waive
 * ({@link io.github.devplugin.config.KubernetesSettings#POLICY_RULES}).
 */
final class PodSecurityRules {
  private static final List<String> SECCOMP_PROFILES = List.of("RuntimeDefault", "Localhost");

  private final Findings findings;

  PodSecurityRules(Findings findings) {
    this.findings = findings;
  }

  /** A Deployment's update must not drop below the desired replicas. */
  void rollingUpdate(Deployment d) {
    DeploymentStrategy strategy = d.getSpec().getStrategy();
    if (strategy == null || !"RollingUpdate".equals(strategy.getType()) || strategy.getRollingUpdate() == null
        || !StructureRules.isZero(strategy.getRollingUpdate().getMaxUnavailable())) {
      findings.policy("rolling-update", d, "spec.strategy", "the update may drop below the desired replicas.",
          "use type RollingUpdate with rollingUpdate.maxUnavailable 0 and a non-zero maxSurge.");
    }
  }

  /** The pod-level rules: host namespaces, the API token, host paths, a root user. */
  void pod(HasMetadata owner, String base, PodSpec spec) {
    if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
        || Boolean.TRUE.equals(spec.getHostIPC())) {
      findings.policy("host-namespaces", owner, base, "shares the node's network, PID or IPC namespace.",
          "remove hostNetwork, hostPID and hostIPC.");
    }
    if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
      findings.policy("service-account-token", owner, base + ".automountServiceAccountToken",
          "mounts an API token the service does not need.", "set automountServiceAccountToken: false.");
    }
    for (Volume v : list(spec.getVolumes())) {
      if (v.getHostPath() != null) {
        findings.policy("host-path", owner, base + ".volumes[" + v.getName() + "].hostPath",
            "mounts a directory of the node.", "use an emptyDir or a PersistentVolumeClaim.");
      }
    }
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
      findings.policy("run-as-non-root", owner, base + ".securityContext.runAsUser", "runs as root (0).",
          "use a non-zero numeric user, e.g. 10001 (<image><user>).");
    }
  }

  /** The server container of a Deployment: probes and a preStop pause. */
  void server(HasMetadata owner, String path, Container main) {
    if (main.getReadinessProbe() == null || main.getLivenessProbe() == null || main.getStartupProbe() == null) {
      findings.policy("probes", owner, path, "needs startup, readiness and liveness probes: without them traffic"
          + " reaches pods that are not ready and hung pods are never restarted.",
          "keep the generated probes (timings: <kubernetes><probes>).");
    }
    boolean otherPreStop = main.getLifecycle() != null && main.getLifecycle().getPreStop() != null
        && StructureRules.preStopSleep(main) == null;
    if (StructureRules.preStopSleep(main) == null && !otherPreStop) {
      findings.policy("pre-stop", owner, path + ".lifecycle.preStop", "has no preStop pause: requests still routed"
          + " to a terminating pod fail.", "set <kubernetes><preStopSeconds> to 5 or more.");
    }
  }

  void hostPorts(ManifestValidator.ContainerAt at) {
    for (ContainerPort p : list(at.container().getPorts())) {
      if (StructureRules.isPortNumber(p.getContainerPort()) && p.getHostPort() != null && p.getHostPort() != 0) {
        findings.policy("host-port", at.owner(), at.path() + ".ports[" + p.getContainerPort() + "].hostPort",
            "binds a port of the node.", "remove hostPort; use a Service.");
      }
    }
  }

  void resources(ManifestValidator.ContainerAt at) {
    ResourceRequirements r = at.container().getResources();
    Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
    Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
    if (!requests.containsKey("cpu") || !requests.containsKey("memory") || !limits.containsKey("memory")) {
      findings.policy("resources", at.owner(), at.path() + ".resources", "needs cpu and memory requests and a"
          + " memory limit: without them the scheduler overcommits nodes and one pod can starve the others.",
          "set <service><resources> (or keep the generated ones).");
    }
  }

  /** The container's security context, each field falling back to the pod's where Kubernetes does. */
  void securityContext(ManifestValidator.ContainerAt at, PodSecurityContext pod) {
    SecurityContext sc = at.container().getSecurityContext();
    privilegeEscalation(at, sc);
    privileged(at, sc);
    capabilities(at, sc);
    runAsNonRoot(at, sc, pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot()));
    seccomp(at, sc, pod != null && pod.getSeccompProfile() != null
        && SECCOMP_PROFILES.contains(pod.getSeccompProfile().getType()));
    readOnlyRootFilesystem(at, sc);
  }

  private void privilegeEscalation(ManifestValidator.ContainerAt at, SecurityContext sc) {
    if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      findings.policy("privilege-escalation", at.owner(), at.path() + ".securityContext.allowPrivilegeEscalation",
          "is not false.", "set allowPrivilegeEscalation: false.");
    }
  }

  private void privileged(ManifestValidator.ContainerAt at, SecurityContext sc) {
    if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
      findings.policy("privileged", at.owner(), at.path() + ".securityContext.privileged",
          "runs a privileged container.", "remove privileged: true.");
    }
  }

  private void capabilities(ManifestValidator.ContainerAt at, SecurityContext sc) {
    Capabilities caps = sc == null ? null : sc.getCapabilities();
    if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
      findings.policy("capabilities", at.owner(), at.path() + ".securityContext.capabilities.drop",
          "does not drop ALL capabilities.", "set capabilities.drop: [ALL].");
    }
    if (caps != null && caps.getAdd() != null) {
      for (String cap : caps.getAdd()) {
        if (!"NET_BIND_SERVICE".equals(cap)) {
          findings.policy("capabilities", at.owner(), at.path() + ".securityContext.capabilities.add", "adds " + cap
              + ", which the restricted profile forbids.", "add at most NET_BIND_SERVICE.");
        }
      }
    }
  }

  private void runAsNonRoot(ManifestValidator.ContainerAt at, SecurityContext sc, boolean podNonRoot) {
    boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
    if (!nonRoot || (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0)) {
      findings.policy("run-as-non-root", at.owner(), at.path() + ".securityContext.runAsNonRoot", "may run as root.",
          "set runAsNonRoot: true with a numeric runAsUser (<image><user>).");
    }
  }

  private void seccomp(ManifestValidator.ContainerAt at, SecurityContext sc, boolean podSeccomp) {
    boolean seccomp = sc != null && sc.getSeccompProfile() != null
        ? SECCOMP_PROFILES.contains(sc.getSeccompProfile().getType()) : podSeccomp;
    if (!seccomp) {
      findings.policy("seccomp", at.owner(), at.path() + ".securityContext.seccompProfile",
          "has no RuntimeDefault seccomp profile.", "set seccompProfile.type: RuntimeDefault.");
    }
  }

  private void readOnlyRootFilesystem(ManifestValidator.ContainerAt at, SecurityContext sc) {
    if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
      findings.policy("read-only-root-filesystem", at.owner(), at.path() + ".securityContext.readOnlyRootFilesystem",
          "lets the process write to its image.", "set readOnlyRootFilesystem: true and write to /tmp or a volume.");
    }
  }
}
