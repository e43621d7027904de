package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why a Job or a rollout failed, in words: the state of each pod's containers (waiting reasons such as
 * {@code ImagePullBackOff} or {@code CreateContainerConfigError}, terminations such as {@code OOMKilled} with exit
 * codes, restart counts), the latest warning events of the workload and its pods, and for Jobs the last log lines.
 */
public final class Diagnosis {
  static final int MAX_EVENTS = 10;
  static final int LOG_LINES = 20;

  private Diagnosis() {}

  /**
   * @param podLabels selects the workload's pods
   * @param objectNames names of the workload and related objects whose events matter
   * @param logContainer container whose log tail is shown, or null for none
   */
  public static List<String> explain(KubernetesClient client, String namespace, Map<String, String> podLabels,
      Set<String> objectNames, String logContainer) {
    List<String> lines = new ArrayList<>();
    Set<String> names = new TreeSet<>(objectNames);
    List<Pod> pods;
    try {
      pods = client.pods().inNamespace(namespace).withLabels(podLabels).list().getItems();
    } catch (KubernetesClientException e) {
      lines.add("(cannot list pods: " + e.getMessage() + ")");
      pods = List.of();
    }
    pods = new ArrayList<>(pods);
    pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    for (Pod p : pods) {
      names.add(p.getMetadata().getName());
      if (p.getMetadata().getOwnerReferences() != null) {
        p.getMetadata().getOwnerReferences().forEach(o -> names.add(o.getName()));
      }
      lines.addAll(describe(p));
    }
    if (pods.isEmpty()) {
      lines.add("no pods were created (see the events below: quota, admission or scheduling problems).");
    }
    lines.addAll(events(client, namespace, names));
    if (logContainer != null) {
      for (Pod p : pods) {
        if (hasRun(p, logContainer)) {
          lines.addAll(logTail(client, namespace, p.getMetadata().getName(), logContainer));
          break;
        }
      }
    }
    return lines;
  }

  static List<String> describe(Pod p) {
    List<String> out = new ArrayList<>();
    String phase = p.getStatus() == null ? "Unknown" : p.getStatus().getPhase();
    StringBuilder head = new StringBuilder("pod ").append(p.getMetadata().getName()).append(": ").append(phase);
    if (p.getStatus() != null && p.getStatus().getConditions() != null) {
      for (PodCondition c : p.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
          head.append(", not scheduled: ").append(Objects.toString(c.getMessage(), c.getReason()));
        }
      }
    }
    out.add(head.toString());
    List<ContainerStatus> statuses = new ArrayList<>();
    if (p.getStatus() != null) {
      if (p.getStatus().getInitContainerStatuses() != null) {
        statuses.addAll(p.getStatus().getInitContainerStatuses());
      }
      if (p.getStatus().getContainerStatuses() != null) {
        statuses.addAll(p.getStatus().getContainerStatuses());
      }
    }
    for (ContainerStatus s : statuses) {
      StringBuilder sb = new StringBuilder("  container ").append(s.getName()).append(": ");
      ContainerStateWaiting w = s.getState() == null ? null : s.getState().getWaiting();
      ContainerStateTerminated t = s.getState() == null ? null : s.getState().getTerminated();
      if (w != null) {
        sb.append("waiting, ").append(w.getReason());
        if (w.getMessage() != null) {
          sb.append(" (").append(w.getMessage()).append(")");
        }
      } else if (t != null) {
        sb.append(terminated(t));
      } else {
        sb.append(Boolean.TRUE.equals(s.getReady()) ? "running, ready" : "running, not ready");
      }
      if (s.getRestartCount() != null && s.getRestartCount() > 0) {
        sb.append("; restarted ").append(s.getRestartCount()).append(" times");
        ContainerStateTerminated last = s.getLastState() == null ? null : s.getLastState().getTerminated();
        if (last != null) {
          sb.append(", last ").append(terminated(last));
        }
      }
      sb.append(hint(w, t, s));
      out.add(sb.toString());
    }
    return out;
  }

  private static String terminated(ContainerStateTerminated t) {
    return "terminated, " + t.getReason() + " (exit code " + t.getExitCode() + ")"
        + (t.getMessage() == null ? "" : ": " + t.getMessage().strip());
  }

  /** The usual fix of the usual failures. */
  private static String hint(ContainerStateWaiting w, ContainerStateTerminated t, ContainerStatus s) {
    String reason = w != null ? w.getReason() : t != null ? t.getReason() : null;
    ContainerStateTerminated last = s.getLastState() == null ? null : s.getLastState().getTerminated();
    if (last != null && "OOMKilled".equals(last.getReason()) || "OOMKilled".equals(reason)) {
      return ". Fix: raise <service><resources><limits><memory> or lower the JVM's heap.";
    }
    if (reason == null) {
      return "";
    }
    return switch (reason) {
      case "ImagePullBackOff", "ErrImagePull" -> ". Fix: check that the image exists and the cluster can pull it"
          + " (registry credentials: imagePullSecrets in a fragment).";
      case "CreateContainerConfigError" -> ". Fix: a referenced Secret or ConfigMap key is missing; create it"
          + " (kubectl create secret generic ...).";
      case "CrashLoopBackOff" -> ". Fix: the process exits at start; see its log (kubectl logs --previous).";
      default -> "";
    };
  }

  private static List<String> events(KubernetesClient client, String namespace, Set<String> names) {
    List<Event> events;
    try {
      events = client.v1().events().inNamespace(namespace).list().getItems();
    } catch (KubernetesClientException e) {
      return List.of("(cannot list events: " + e.getMessage() + ")");
    }
    List<Event> relevant = new ArrayList<>();
    for (Event e : events) {
      if (e.getInvolvedObject() != null && names.contains(e.getInvolvedObject().getName())) {
        relevant.add(e);
      }
    }
    relevant.sort(Comparator.comparing((Event e) -> "Warning".equals(e.getType()) ? 0 : 1)
        .thenComparing(Diagnosis::time, Comparator.reverseOrder()));
    List<String> out = new ArrayList<>();
    for (Event e : relevant.subList(0, Math.min(MAX_EVENTS, relevant.size()))) {
      out.add("event " + e.getType() + " " + e.getReason() + " " + e.getInvolvedObject().getKind().toLowerCase(
          java.util.Locale.ROOT) + "/" + e.getInvolvedObject().getName() + ": " + Objects.toString(e.getMessage(), "")
          .strip() + (e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : ""));
    }
    return out;
  }

  private static String time(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
      return e.getEventTime().getTime();
    }
    return Objects.toString(e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp(), "");
  }

  private static boolean hasRun(Pod p, String container) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return false;
    }
    return p.getStatus().getContainerStatuses().stream().anyMatch(s -> container.equals(s.getName())
        && s.getState() != null && (s.getState().getTerminated() != null || s.getState().getRunning() != null));
  }

  private static List<String> logTail(KubernetesClient client, String namespace, String pod, String container) {
    try {
      String log = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
          .tailingLines(LOG_LINES).getLog();
      if (log == null || log.isBlank()) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      out.add("last log lines of pod " + pod + " (container " + container + "):");
      for (String l : log.strip().split("\\R")) {
        out.add("  | " + l);
      }
      return out;
    } catch (KubernetesClientException e) {
      return List.of("(cannot read the log of pod " + pod + ": " + e.getMessage() + ")");
    }
  }
}
