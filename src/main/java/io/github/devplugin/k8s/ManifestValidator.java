package io.github.devplugin.k8s;

import static io.github.devplugin.k8s.Findings.list;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.core.Problem;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates the final objects of one environment before anything is written, walking each object once and applying
 * the rules of three kinds: the model ({@link ModelRules}: fields the Kubernetes API does not know), the structure
 * ({@link StructureRules} for metadata, workloads, pods and containers, {@link ObjectRules} for the other kinds:
 * required fields, labels that selectors match, probe and Service ports that exist, HPA bounds, references between
 * objects, immutable images in environments that forbid mutable tags, no inline Secrets where they are not allowed)
 * and the policy ({@link PodSecurityRules}: Pod Security "restricted", resources, probes, a rolling update that keeps
 * capacity, a preStop pause). Every problem names the object, the field and the fix. Policy rules can be waived per
 * service with {@code <kubernetes><policyExceptions>}; a waived rule is reported as a warning.
 */
public final class ManifestValidator {
  /** What validation found: errors fail the build, warnings are logged. */
  public record Report(List<Problem> errors, List<String> warnings) {}

  /** A container and where it is: its object and its field path (e.g. {@code spec.template.spec.containers[app]}). */
  record ContainerAt(HasMetadata owner, String path, Container container) {}

  private final EffectiveConfig cfg;
  private final List<HasMetadata> objects;
  private final Findings findings;
  private final ModelRules model;
  private final StructureRules structure;
  private final ObjectRules other;
  private final PodSecurityRules policy;

  public ManifestValidator(EffectiveConfig cfg, List<HasMetadata> objects,
      Map<String, List<String>> origins) {
    this.cfg = cfg;
    this.objects = objects;
    this.findings = new Findings(cfg.kubernetes().policyExceptions(), origins);
    this.model = new ModelRules(findings);
    this.structure = new StructureRules(cfg, objects, findings);
    this.other = new ObjectRules(cfg, objects, findings);
    this.policy = new PodSecurityRules(findings);
  }

  public Report validate() {
    Set<String> seen = new HashSet<>();
    for (HasMetadata o : objects) {
      if (!seen.add(Fragments.key(o))) {
        findings.error(o, "metadata.name", "is generated twice.", "give the fragment's object another metadata.name.");
      }
      model.check(o);
      structure.metadata(o);
      if (o instanceof Deployment d) {
        deployment(d);
      } else if (o instanceof Job j) {
        job(j);
      } else {
        other.check(o);
      }
    }
    return findings.report();
  }

  private void deployment(Deployment d) {
    if (!structure.deployment(d)) {
      return;
    }
    policy.rollingUpdate(d);
    structure.rolloutProgress(d);
    structure.replicasUnderAutoscaler(d);
    pod(d, d.getSpec().getTemplate(), true);
  }

  private void job(Job j) {
    if (structure.job(j)) {
      pod(j, j.getSpec().getTemplate(), false);
    }
  }

  /**
   * @param server the pod serves requests (a Deployment's): its main container needs probes and a preStop pause
   */
  private void pod(HasMetadata owner, PodTemplateSpec template, boolean server) {
    String base = "spec.template.spec";
    PodSpec spec = template.getSpec();
    if (!structure.hasContainers(owner, base, spec)) {
      return;
    }
    policy.pod(owner, base, spec);
    Set<String> volumeNames = structure.volumes(owner, base, spec);
    for (Container c : spec.getContainers()) {
      container(new ContainerAt(owner, base + ".containers[" + c.getName() + "]", c), volumeNames, spec);
    }
    for (Container c : list(spec.getInitContainers())) {
      container(new ContainerAt(owner, base + ".initContainers[" + c.getName() + "]", c), volumeNames, spec);
    }
    if (server) {
      Container main = spec.getContainers().stream().filter(c -> cfg.service().name().equals(c.getName()))
          .findFirst().orElse(spec.getContainers().get(0));
      policy.server(owner, base + ".containers[" + main.getName() + "]", main);
      structure.gracePeriod(owner, base, spec, main);
    }
  }

  private void container(ContainerAt at, Set<String> volumeNames, PodSpec pod) {
    structure.containerName(at);
    structure.image(at);
    StructureRules.Ports ports = structure.ports(at);
    policy.hostPorts(at);
    structure.probes(at, ports);
    structure.resources(at);
    policy.resources(at);
    structure.env(at);
    structure.envFrom(at);
    structure.volumeMounts(at, volumeNames);
    policy.securityContext(at, pod.getSecurityContext());
  }
}
