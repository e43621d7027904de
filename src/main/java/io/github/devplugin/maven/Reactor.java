package io.github.devplugin.maven;

import io.github.devplugin.config.ServiceConfig;
import io.github.devplugin.image.ServiceModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;

/**
 * The modules of a multi-module build, as the goals that aggregate them see it: which module is a service, which
 * module is the last of the build to run a goal (the one that merges every module's fragment; with {@code -T} the
 * last to finish, whatever the order), and which modules' fragments belong in the merge. The merging itself is the
 * core's ({@code compose.ReactorCompose}, {@code k8s.ReactorKustomization}).
 */
final class Reactor {
  /** Per build (its request, which parallel builds share): "goal env project" -> whether the goal did its work. */
  private static final Map<Object, Map<String, Boolean>> FINISHED = new WeakHashMap<>();

  private Reactor() {}

  /** More than one project in the reactor (of which this run may build a part: {@code -rf}, {@code -pl}). */
  static boolean isMultiModule(MavenSession session) {
    return session != null && all(session).size() > 1;
  }

  /**
   * Why {@code project} is no service module of a multi-module build (pom packaging, or a library: no main class
   * anywhere), for the goal's skip line; empty for a service and for a single-module project, which fails as it
   * always did.
   */
  static Optional<String> notAService(MavenSession session, MavenProject project, ServiceConfig service) {
    if (!isMultiModule(session)) {
      return Optional.empty();
    }
    if ("pom".equals(project.getPackaging())) {
      return Optional.of("has pom packaging (no classes)");
    }
    return ServiceModule.libraryReason(service, Path.of(project.getBuild().getOutputDirectory()),
        ImageInputsFactory.manifest(project));
  }

  /**
   * Records that {@code project} finished {@code goal} ({@code ran}: did its work, else skipped) and tells whether it
   * is the last project of this run to do so, and at least one of them ran: then it merges. True once per goal and
   * environment.
   */
  static boolean finishLast(MavenSession session, MojoExecution execution, MavenProject project, String goal,
      String environment, boolean ran) {
    List<MavenProject> running = new ArrayList<>();
    for (MavenProject p : session.getProjects()) {
      if (runsGoal(session, execution, p, goal)) {
        running.add(p);
      }
    }
    synchronized (FINISHED) {
      Map<String, Boolean> finished = FINISHED.computeIfAbsent(session.getRequest(), r -> new HashMap<>());
      finished.put(key(goal, environment, project), ran);
      boolean anyRan = false;
      for (MavenProject p : running) {
        Boolean r = finished.get(key(goal, environment, p));
        if (r == null) {
          return false;
        }
        anyRan |= r;
      }
      return anyRan && finished.put(goal + " " + environment + " merged", true) == null;
    }
  }

  /**
   * The projects whose fragments go into the merge, in reactor order: every project this run did not build (their
   * fragments of an earlier build: {@code -rf}, {@code -pl}) and those that ran the goal in it (a module that skipped
   * it is left out).
   */
  static List<MavenProject> fragmentModules(MavenSession session, String goal, String environment) {
    List<MavenProject> out = new ArrayList<>();
    synchronized (FINISHED) {
      Map<String, Boolean> finished = FINISHED.getOrDefault(session.getRequest(), Map.of());
      for (MavenProject p : all(session)) {
        Boolean ran = finished.get(key(goal, environment, p));
        if (ran == null || ran) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** The top-level project (the directory Maven was started in), or null when it is not part of the reactor. */
  static MavenProject root(MavenSession session) {
    for (MavenProject p : all(session)) {
      if (p.isExecutionRoot()) {
        return p;
      }
    }
    return null;
  }

  /** The top-level project's {@code target/devplugin}: where the merged outputs go. */
  static Path rootDevpluginDirectory(MavenSession session) {
    MavenProject root = root(session);
    Path build = root != null ? Path.of(root.getBuild().getDirectory())
        : Path.of(session.getExecutionRootDirectory(), "target");
    return build.resolve("devplugin");
  }

  /** The top-level project's directory. */
  static Path rootDirectory(MavenSession session) {
    return Path.of(session.getExecutionRootDirectory());
  }

  static Path devpluginDirectory(MavenProject p) {
    return Path.of(p.getBuild().getDirectory()).resolve("devplugin");
  }

  private static List<MavenProject> all(MavenSession session) {
    List<MavenProject> all = session.getAllProjects();
    return all != null ? all : session.getProjects();
  }

  private static String key(String goal, String environment, MavenProject p) {
    return goal + " " + environment + " " + p.getGroupId() + ":" + p.getArtifactId();
  }

  /** The goal is bound in {@code p}'s build, or named on the command line (then every project runs it). */
  private static boolean runsGoal(MavenSession session, MojoExecution execution, MavenProject p, String goal) {
    String key = execution.getGroupId() + ":" + execution.getArtifactId();
    String prefix = execution.getMojoDescriptor().getPluginDescriptor().getGoalPrefix();
    for (String g : session.getGoals()) {
      if (g.equals(prefix + ":" + goal) || (g.startsWith(key + ":") && g.endsWith(":" + goal))) {
        return true;
      }
    }
    Plugin plugin = p.getBuild() == null ? null : p.getBuild().getPluginsAsMap().get(key);
    return plugin != null && plugin.getExecutions().stream().anyMatch(x -> x.getGoals().contains(goal));
  }
}
