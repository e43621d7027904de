package io.github.devplugin.k8s;

import static io.github.devplugin.k8s.Findings.list;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Names;
import io.github.devplugin.config.Quantities;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The structure rules of the objects around the workloads: Service (a selector that matches a Deployment's pods,
 * target ports its containers declare), Ingress (hosts, paths, backends that exist), HorizontalPodAutoscaler (bounds,
 * target), PodDisruptionBudget, PersistentVolumeClaim (access modes that fit the replicas), Secret (no values where
 * the environment forbids them) and ConfigMap (valid keys).
 */
final class ObjectRules {
  private final EffectiveConfig cfg;
  private final List<HasMetadata> objects;
  private final Findings findings;

  ObjectRules(EffectiveConfig cfg, List<HasMetadata> objects, Findings findings) {
    this.cfg = cfg;
    this.objects = objects;
    this.findings = findings;
  }

  /** The rules of {@code o}'s kind, if it is one of these. */
  void check(HasMetadata o) {
    if (o instanceof Service s) {
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
    } else if (o instanceof NetworkPolicy n) {
      networkPolicy(n);
    }
  }

  /**
   * A NetworkPolicy: policy types Kubernetes knows; a pod selector that selects the pods of a generated workload
   * (empty selects every pod of the namespace); ports in range with a known protocol, named ports declared by the
   * selected Deployment's containers; IP blocks in CIDR notation.
   */
  private void networkPolicy(NetworkPolicy n) {
    if (n.getSpec() == null || n.getSpec().getPodSelector() == null) {
      findings.error(n, "spec.podSelector", "is missing.", "select the pods the policy applies to (an empty"
          + " podSelector: {} selects every pod of the namespace).");
      return;
    }
    for (String t : list(n.getSpec().getPolicyTypes())) {
      if (!List.of("Ingress", "Egress").contains(t)) {
        findings.error(n, "spec.policyTypes", "'" + t + "' is not a policy type.", "use Ingress and/or Egress.");
      }
    }
    Map<String, String> selector = n.getSpec().getPodSelector().getMatchLabels();
    Deployment target = null;
    boolean all = selector == null || selector.isEmpty();
    boolean selectsSomething = all;
    for (HasMetadata o : objects) {
      io.fabric8.kubernetes.api.model.PodTemplateSpec t = o instanceof Deployment d && d.getSpec() != null
          ? d.getSpec().getTemplate() : o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j
          && j.getSpec() != null ? j.getSpec().getTemplate() : null;
      if (t != null && (all || StructureRules.labels(t).entrySet().containsAll(selector.entrySet()))) {
        selectsSomething = true;
        if (o instanceof Deployment d && target == null) {
          target = d;
        }
      }
    }
    if (!selectsSomething) {
      findings.error(n, "spec.podSelector", "matches the pods of no generated workload (" + selector + ").",
          "make the selector agree with the Deployment's pod template labels.");
    }
    StructureRules.Ports declared = target == null || target.getSpec().getTemplate().getSpec() == null ? null
        : StructureRules.Ports.of(target.getSpec().getTemplate().getSpec().getContainers());
    List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule> ingress =
        list(n.getSpec().getIngress());
    for (int i = 0; i < ingress.size(); i++) {
      ports(n, "spec.ingress[" + i + "]", list(ingress.get(i).getPorts()), declared);
      peers(n, "spec.ingress[" + i + "].from", list(ingress.get(i).getFrom()));
    }
    List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule> egress = list(n.getSpec().getEgress());
    for (int i = 0; i < egress.size(); i++) {
      ports(n, "spec.egress[" + i + "]", list(egress.get(i).getPorts()), null);
      peers(n, "spec.egress[" + i + "].to", list(egress.get(i).getTo()));
    }
  }

  private void ports(NetworkPolicy n, String path, List<io.fabric8.kubernetes.api.model.networking.v1
      .NetworkPolicyPort> ports, StructureRules.Ports declared) {
    for (int j = 0; j < ports.size(); j++) {
      var p = ports.get(j);
      String at = path + ".ports[" + j + "]";
      if (p.getProtocol() != null && !List.of("TCP", "UDP", "SCTP").contains(p.getProtocol())) {
        findings.error(n, at + ".protocol", "'" + p.getProtocol() + "' is not a protocol.", "use TCP, UDP or SCTP.");
      }
      IntOrString port = p.getPort();
      if (port == null) {
        continue;
      }
      if (port.getIntVal() != null && (port.getIntVal() < 1 || port.getIntVal() > 65535)) {
        findings.error(n, at + ".port", "port " + port.getIntVal() + " is out of range.", "use 1 to 65535.");
      } else if (port.getStrVal() != null && declared != null && !declared.has(port)) {
        findings.error(n, at + ".port", "names the port '" + port.getStrVal() + "', which no container of the"
            + " selected pods declares.", "use a container port name (" + String.join(", ",
                new TreeSet<>(declared.names().keySet())) + ") or number.");
      }
    }
  }

  private void peers(NetworkPolicy n, String path,
      List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> peers) {
    for (int j = 0; j < peers.size(); j++) {
      var peer = peers.get(j);
      if (peer.getIpBlock() != null && (peer.getIpBlock().getCidr() == null
          || !peer.getIpBlock().getCidr().matches("[0-9.]+/\\d{1,2}|[0-9a-fA-F:]+/\\d{1,3}"))) {
        findings.error(n, path + "[" + j + "].ipBlock.cidr", "'" + peer.getIpBlock().getCidr() + "' is not an IP"
            + " block.", "use CIDR notation, e.g. 10.0.0.0/8.");
      }
      if (peer.getIpBlock() != null && (peer.getPodSelector() != null || peer.getNamespaceSelector() != null)) {
        findings.error(n, path + "[" + j + "]", "combines ipBlock with a selector, which Kubernetes refuses.",
            "split it into two peers.");
      }
    }
  }

  // ---- networking

  private void service(Service s) {
    if (s.getSpec() == null || s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()) {
      findings.error(s, "spec.ports", "is empty.", "declare at least one port.");
      return;
    }
    Map<String, String> selector = s.getSpec().getSelector();
    Deployment target = null;
    if (selector == null || selector.isEmpty()) {
      findings.error(s, "spec.selector", "is empty: the Service would have no endpoints.", "select the pods by"
          + " app.kubernetes.io/name, instance and component.");
    } else {
      for (HasMetadata o : objects) {
        if (o instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null
            && StructureRules.labels(d.getSpec().getTemplate()).entrySet().containsAll(selector.entrySet())) {
          target = d;
        }
      }
      if (target == null) {
        findings.error(s, "spec.selector", "matches the pods of no generated Deployment (" + selector + ").",
            "make the selector agree with the Deployment's pod template labels.");
      }
    }
    Set<Integer> ports = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (ServicePort p : s.getSpec().getPorts()) {
      String pp = "spec.ports[" + p.getPort() + "]";
      if (p.getPort() == null || !ports.add(p.getPort())) {
        findings.error(s, pp, "port " + p.getPort() + " is missing or declared twice.", "declare each port once.");
      }
      if (s.getSpec().getPorts().size() > 1 && (p.getName() == null || !names.add(p.getName()))) {
        findings.error(s, pp + ".name", "port name '" + p.getName() + "' is missing or used twice.",
            "give each port of a multi-port Service its own name.");
      }
      if (target != null) {
        IntOrString tp = p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort();
        StructureRules.Ports declared =
            StructureRules.Ports.of(target.getSpec().getTemplate().getSpec().getContainers());
        if (!declared.has(tp)) {
          findings.error(s, pp + ".targetPort", "targets '" + StructureRules.portText(tp)
              + "', which no container of " + Fragments.key(target)
              + " declares.", "use a container port name (" + String.join(", ", new TreeSet<>(
                  declared.names().keySet())) + ") or number.");
        }
      }
    }
  }

  private void ingress(Ingress i) {
    if (i.getSpec() == null || i.getSpec().getRules() == null || i.getSpec().getRules().isEmpty()) {
      findings.error(i, "spec.rules", "is empty.", "add a rule with a host, or set <service><ingress><host>.");
      return;
    }
    Set<String> hosts = new HashSet<>();
    for (int n = 0; n < i.getSpec().getRules().size(); n++) {
      IngressRule r = i.getSpec().getRules().get(n);
      String rp = "spec.rules[" + n + "]";
      if (r.getHost() == null || r.getHost().isBlank()) {
        findings.error(i, rp + ".host", "is missing: a rule without a host takes every host's traffic.",
            "set <service><ingress><host>app.example.com</host> (or the rule's host in the fragment).");
      } else if (!Names.isHost(r.getHost())) {
        findings.error(i, rp + ".host", "'" + r.getHost() + "' is not a valid host name.", "use a DNS name like"
            + " app.example.com.");
      } else {
        hosts.add(r.getHost());
      }
      if (r.getHttp() == null || r.getHttp().getPaths() == null || r.getHttp().getPaths().isEmpty()) {
        findings.error(i, rp + ".http.paths", "is empty.", "route at least one path to the Service.");
        continue;
      }
      for (HTTPIngressPath p : r.getHttp().getPaths()) {
        if (p.getPathType() == null) {
          findings.error(i, rp + ".http.paths[" + p.getPath() + "].pathType", "is missing.", "use Prefix, Exact or"
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
          findings.error(i, bp + ".name", "routes to Service '" + b.getName() + "', which is not generated.",
              "route to the service's own Service, " + cfg.service().name() + ".");
        } else if (b.getPort() != null && svc.getSpec() != null && svc.getSpec().getPorts() != null
            && svc.getSpec().getPorts().stream().noneMatch(sp -> Objects.equals(sp.getName(), b.getPort().getName())
                && b.getPort().getName() != null || Objects.equals(sp.getPort(), b.getPort().getNumber()))) {
          findings.error(i, bp + ".port", "names a port Service " + b.getName() + " does not have.",
              "use the port name http.");
        }
      }
    }
    for (IngressTLS tls : list(i.getSpec().getTls())) {
      if (tls.getSecretName() == null) {
        findings.error(i, "spec.tls.secretName", "is missing.", "set <service><ingress><tlsSecret>.");
      }
      for (String h : list(tls.getHosts())) {
        if (!hosts.contains(h)) {
          findings.error(i, "spec.tls.hosts", "'" + h + "' has a certificate but no rule.",
              "add a rule for it or remove it.");
        }
      }
    }
  }

  // ---- scaling

  private void hpa(HorizontalPodAutoscaler h) {
    if (h.getSpec() == null) {
      findings.error(h, "spec", "is missing.", "set minReplicas, maxReplicas and scaleTargetRef.");
      return;
    }
    int min = h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
    Integer max = h.getSpec().getMaxReplicas();
    if (max == null) {
      findings.error(h, "spec.maxReplicas", "is missing.", "set <service><autoscaling><maxReplicas>.");
    } else if (min > max) {
      findings.error(h, "spec.minReplicas", "minReplicas " + min + " is greater than maxReplicas " + max + ".",
          "make <autoscaling><minReplicas> less than or equal to <maxReplicas>.");
    }
    if (min < 1) {
      findings.error(h, "spec.minReplicas", "must be at least 1.", "set <autoscaling><minReplicas> to 1 or more.");
    }
    var ref = h.getSpec().getScaleTargetRef();
    if (ref == null || objects.stream().noneMatch(o -> o.getKind().equals(ref.getKind())
        && o.getMetadata().getName().equals(ref.getName()))) {
      findings.error(h, "spec.scaleTargetRef", "does not name a generated Deployment.", "scale Deployment "
          + cfg.service().name() + ".");
    }
    for (MetricSpec m : list(h.getSpec().getMetrics())) {
      if (m.getResource() != null && m.getResource().getTarget() != null
          && "Utilization".equals(m.getResource().getTarget().getType())
          && (m.getResource().getTarget().getAverageUtilization() == null
              || m.getResource().getTarget().getAverageUtilization() < 1)) {
        findings.error(h, "spec.metrics.resource.target.averageUtilization", "must be a percentage above 0.",
            "set <autoscaling><targetCpuUtilization> from 1 to 100.");
      }
    }
  }

  private void pdb(PodDisruptionBudget p) {
    if (p.getSpec() == null || p.getSpec().getSelector() == null
        || p.getSpec().getSelector().getMatchLabels() == null) {
      findings.error(p, "spec.selector", "is missing.", "select the pods like the Deployment does.");
      return;
    }
    if (p.getSpec().getMinAvailable() == null && p.getSpec().getMaxUnavailable() == null) {
      findings.error(p, "spec", "sets neither minAvailable nor maxUnavailable.", "set maxUnavailable: 1.");
    }
    Map<String, String> sel = p.getSpec().getSelector().getMatchLabels();
    boolean matches = false;
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d && d.getSpec() != null && d.getSpec().getTemplate() != null
          && StructureRules.labels(d.getSpec().getTemplate()).entrySet().containsAll(sel.entrySet())) {
        matches = true;
        Integer replicas = d.getSpec().getReplicas();
        if (replicas != null && replicas <= 1 && StructureRules.isZero(p.getSpec().getMaxUnavailable())) {
          findings.warn(p, "spec.maxUnavailable", "0 with " + replicas + " replica blocks every node drain.");
        }
      }
    }
    if (!matches) {
      findings.error(p, "spec.selector", "matches the pods of no generated Deployment.", "select the pods like the"
          + " Deployment does.");
    }
  }

  private void pvc(PersistentVolumeClaim pvc) {
    if (pvc.getSpec() == null || pvc.getSpec().getAccessModes() == null || pvc.getSpec().getAccessModes().isEmpty()) {
      findings.error(pvc, "spec.accessModes", "is empty.", "set <volume><accessMode>.");
      return;
    }
    Quantity storage = pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null
        ? null : pvc.getSpec().getResources().getRequests().get("storage");
    if (storage == null || !Quantities.isValid(storage.toString())) {
      findings.error(pvc, "spec.resources.requests.storage", "'" + storage + "' is not a storage size.",
          "use e.g. <size>1Gi</size>.");
    }
    int replicas = cfg.service().autoscaling().enabled() ? cfg.service().autoscaling().maxReplicas()
        : cfg.service().replicas();
    if (replicas > 1 && pvc.getSpec().getAccessModes().contains("ReadWriteOncePod")) {
      findings.error(pvc, "spec.accessModes", "ReadWriteOncePod lets one pod use the volume, but the service runs"
          + " up to " + replicas + " replicas (and a rolling update starts a second pod).",
          "use ReadWriteMany, or one replica with ReadWriteOnce.");
    } else if (replicas > 1 && pvc.getSpec().getAccessModes().contains("ReadWriteOnce")) {
      findings.warn(pvc, "spec.accessModes", "ReadWriteOnce with " + replicas + " replicas works only while all pods"
          + " run"
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
      findings.error(s, "data", "is an inline Secret in prod: its values would be written into the manifests.",
          "delete the fragment and create the Secret out of band (kubectl create secret, sealed-secrets, an"
              + " external secret operator); the Deployment references it by name.");
    } else if (!cfg.kubernetes().inlineSecrets()) {
      findings.error(s, "data", "is an inline Secret, which environment '" + cfg.environment() + "' does not allow.",
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
        findings.error(c, "data." + k, "'" + k + "' is not a valid ConfigMap key.",
            "use letters, digits, '-', '_', '.'.");
      } else if (envSource && !Names.isEnvVarName(k)) {
        findings.error(c, "data." + k, "'" + k + "' is not an environment variable name, so the container would"
            + " not see it.",
            "use letters, digits and '_'.");
      }
    }
  }
}
