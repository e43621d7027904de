package io.github.devplugin.k8s;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.ModuleRecord;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UpToDate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one kustomization per environment of a multi-module build. Every service module's {@code k8s} goal writes its
 * own manifests as a single-module project does and records them in a fragment ({@link #fragmentFile}); the last
 * module of the build to run the goal writes {@code <top-level>/target/devplugin/k8s/<env>/}: each service's objects
 * under {@code <service>/}, a Namespace two services share once at the top (with the labels they agree on), one
 * {@code kustomization.yaml} whose resources are every service's objects ({@code kubectl apply -k}), and the
 * all-in-one {@code manifests.yaml}. Same fragments, same files.
 */
public final class ReactorKustomization {
  /** Bumped when the output changes for the same fragments. */
  static final String FORMAT = "1";

  private ReactorKustomization() {}

  /**
   * A service module's manifests of one environment.
   *
   * @param module the module's artifactId, which messages name
   * @param service its service name: the directory of its objects
   * @param manifests its all-in-one {@code manifests.yaml}
   */
  public record Fragment(String module, String service, String manifests) {}

  /**
   * What to write.
   *
   * @param basedir the top-level project's directory (paths in messages are relative to it)
   * @param environment the environment
   * @param modules every service module's fragment of that environment, in reactor order
   * @param outputRoot the top-level project's {@code target/devplugin/k8s}: the environment gets a subdirectory
   */
  public record Input(Path basedir, String environment, List<Fragment> modules, Path outputRoot) {
    public Input {
      modules = List.copyOf(modules);
    }
  }

  /** {@code <devpluginDirectory>/reactor/k8s-<env>.json}: a module's fragment of one environment. */
  public static Path fragmentFile(Path devpluginDirectory, String environment) {
    return devpluginDirectory.resolve("reactor").resolve("k8s-" + environment + ".json");
  }

  /** Records what {@link K8sGoal} wrote (or found up to date) for the reactor's kustomization. */
  public static void writeFragment(Path file, String service, K8sGoal.Result result) {
    Path all = result.directory().resolve(K8sGoal.ALL_IN_ONE);
    try {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("service", service);
      root.put("manifests", Files.readString(all));
      ModuleRecord.write(file, root);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read " + all + ": " + e.getMessage(), e);
    }
  }

  /** Removes a module's fragment: the module is no service (any more). */
  public static void deleteFragment(Path file) {
    ModuleRecord.delete(file);
  }

  /** The fragment of {@code module} in {@code file}, empty when there is none. */
  public static Optional<Fragment> readFragment(String module, Path file) {
    return ModuleRecord.read(file, module, root -> new Fragment(module, root.get("service").asString(),
        root.get("manifests").asString()));
  }

  /**
   * Writes the environment's kustomization over every service, unless nothing changed.
   *
   * @param upToDate the stamp of the last run ({@code UpToDate.forGoal(<top-level devplugin dir>, "k8s",
   *     "reactor-<env>")})
   * @return the directory written
   * @throws ProblemsException when two services have an object of one name
   */
  public static Path run(Input in, UpToDate upToDate, BuildLog log) {
    Path dir = in.outputRoot().resolve(in.environment());
    List<String> services = in.modules().stream().map(Fragment::service).toList();
    if (in.modules().isEmpty()) {
      log.info("No module of this build is a service with " + in.environment() + " manifests: no reactor"
          + " kustomization in " + K8sGoal.display(in.basedir(), dir) + ".");
      return dir;
    }
    Fingerprint f = Fingerprint.start().add("reactor k8s", FORMAT).add("environment", in.environment());
    for (Fragment m : in.modules()) {
      f.add("module", m.module()).add("service", m.service()).add("manifests", m.manifests());
    }
    String fingerprint = f.hex();
    if (upToDate.isUpToDate(fingerprint) && Files.isRegularFile(dir.resolve(K8sGoal.KUSTOMIZATION))
        && Files.isRegularFile(dir.resolve(K8sGoal.ALL_IN_ONE))) {
      log.info("The " + in.environment() + " kustomization of the services " + String.join(", ", services)
          + " is up to date (" + K8sGoal.display(in.basedir(), dir) + ").");
      return dir;
    }
    Map<String, String> files = files(in);
    int written = 0;
    for (Map.Entry<String, String> e : files.entrySet()) {
      if (Outputs.writeIfChanged(dir.resolve(e.getKey()), e.getValue())) {
        written++;
      }
    }
    int removed = removeStale(dir, files.keySet());
    upToDate.record(fingerprint);
    log.info("Kustomization of the " + in.environment() + " environment over the services " + String.join(", ",
        services) + " of this build: " + (files.size() - 2) + " objects in " + K8sGoal.display(in.basedir(), dir)
        + " (" + written + " files written" + (removed > 0 ? ", " + removed + " stale removed" : "")
        + "): kubectl apply -k " + K8sGoal.display(in.basedir(), dir));
    return dir;
  }

  /**
   * Every file by its path under the environment's directory: the shared Namespaces, each service's objects,
   * {@code kustomization.yaml} and {@code manifests.yaml}. Pure.
   *
   * @throws ProblemsException when two services have an object of the same kind, namespace and name
   */
  static Map<String, String> files(Input in) {
    Map<String, ObjectNode> namespaces = new LinkedHashMap<>();
    Map<String, ObjectNode> objects = new LinkedHashMap<>();
    Map<String, String> owners = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    Set<String> serviceDirs = new LinkedHashSet<>();
    for (Fragment m : in.modules()) {
      if (!serviceDirs.add(m.service())) {
        problems.add(new Problem("<service><name> of " + m.module(), "the service name '" + m.service() + "' is"
            + " another module's too; one kustomization cannot hold two services of one name.",
            "give one of them another <service><name>."));
        continue;
      }
      for (K8sYaml.Document d : K8sYaml.documents(m.manifests())) {
        ObjectNode o = (ObjectNode) d.node();
        String kind = o.path("kind").asString();
        String name = o.path("metadata").path("name").asString();
        if (kind.equals("Namespace")) {
          ObjectNode known = namespaces.get(name);
          if (known == null) {
            namespaces.put(name, o.deepCopy());
          } else {
            keepCommonLabels(known, o);
          }
          continue;
        }
        String id = o.path("apiVersion").asString() + " " + kind + " " + o.path("metadata").path("namespace")
            .asString() + "/" + name;
        String owner = owners.putIfAbsent(id, m.module());
        if (owner != null) {
          problems.add(new Problem("the " + kind + " " + name + " of " + m.module(), "has the name and namespace"
              + " of an object of " + owner + "; kustomize refuses two objects of one name.",
              "give the services different names (<service><name>) or namespaces (<kubernetes><namespace>)."));
          continue;
        }
        objects.put(m.service() + "/" + fileName(kind, name), o);
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("The " + in.environment() + " kustomization of this multi-module build cannot be"
          + " generated", problems, "Nothing was written.");
    }
    Map<String, String> files = new LinkedHashMap<>();
    for (Map.Entry<String, ObjectNode> n : namespaces.entrySet()) {
      files.put(fileName("Namespace", n.getKey()), K8sYaml.write(n.getValue()));
    }
    for (Map.Entry<String, ObjectNode> o : objects.entrySet()) {
      files.put(o.getKey(), K8sYaml.write(o.getValue()));
    }
    StringBuilder kustomization = new StringBuilder("# Generated by devplugin:k8s for environment ")
        .append(in.environment()).append(": the services ").append(String.join(", ", serviceDirs))
        .append(" of this multi-module build: kubectl apply -k ")
        .append(K8sGoal.display(in.basedir(), in.outputRoot().resolve(in.environment()))).append('\n')
        .append("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
    StringBuilder all = new StringBuilder();
    for (Map.Entry<String, String> e : files.entrySet()) {
      kustomization.append("- ").append(e.getKey()).append('\n');
      all.append(all.length() == 0 ? "" : "---\n").append(e.getValue());
    }
    files.put(K8sGoal.KUSTOMIZATION, kustomization.toString());
    files.put(K8sGoal.ALL_IN_ONE, all.toString());
    return files;
  }

  /** Drops the labels of {@code kept} that {@code other} gives another value or lacks. */
  private static void keepCommonLabels(ObjectNode kept, ObjectNode other) {
    JsonNode labels = kept.path("metadata").path("labels");
    if (!(labels instanceof ObjectNode keptLabels)) {
      return;
    }
    JsonNode otherLabels = other.path("metadata").path("labels");
    List<String> drop = new ArrayList<>();
    for (Map.Entry<String, JsonNode> l : keptLabels.properties()) {
      if (!l.getValue().equals(otherLabels.get(l.getKey()))) {
        drop.add(l.getKey());
      }
    }
    drop.forEach(keptLabels::remove);
  }

  private static String fileName(String kind, String name) {
    return kind.toLowerCase(Locale.ROOT) + "-" + name + ".yaml";
  }

  /** Deletes {@code .yaml} files under {@code dir} that this run did not write, then empty service directories. */
  private static int removeStale(Path dir, Set<String> keep) {
    int removed = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : paths) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (Files.isRegularFile(p) && rel.endsWith(".yaml") && !keep.contains(rel)) {
          Files.delete(p);
          removed++;
        } else if (Files.isDirectory(p) && !p.equals(dir)) {
          try (Stream<Path> s = Files.list(p)) {
            if (s.findAny().isEmpty()) {
              Files.delete(p);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot remove stale manifests in " + dir + ": " + e.getMessage(), e);
    }
    return removed;
  }
}
