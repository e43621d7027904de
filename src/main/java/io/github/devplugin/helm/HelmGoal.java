package io.github.devplugin.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.devplugin.config.Configuration;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Environments;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Json;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UpToDate;
import io.github.devplugin.k8s.ImageChoice;
import io.github.devplugin.k8s.K8sGoal;
import io.github.devplugin.k8s.K8sYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code helm} goal's core: a Helm chart of the service under {@code target/devplugin/helm/<service>/}, built
 * ({@link ChartBuilder}) from the objects {@code devplugin:k8s} generates for every environment
 * ({@link K8sGoal#render}), then checked with the real Helm (helm-java, {@link HelmRunner}): {@code helm lint
 * --strict} on the chart, {@code helm package} into {@code <service>-<chartVersion>.tgz} (made reproducible by
 * {@link ChartArchive}), and {@code helm template} of that {@code .tgz} with {@code values.yaml} and with every
 * {@code values-<env>.yaml}, each compared with the environment's objects ({@link ChartParity}). Any lint finding
 * (other than Helm's INFO notes), any difference and any values file of {@link #VALUES_FILES_PROPERTY} failing the
 * chart's schema fails the build. Nothing changed, nothing is done: the stamp {@code stamps/helm.fingerprint} covers
 * the chart's files and the extra values files, so Helm is not even loaded.
 */
public final class HelmGoal {
  /** Bumped whenever the chart changes for the same objects, so old stamps are not trusted. */
  static final String GENERATOR_VERSION = "1";
  /** The goal-only parameter naming extra values files to check against the chart. */
  public static final String VALUES_FILES_PROPERTY = "devplugin.helm.valuesFiles";
  /** Under {@code target/devplugin/helm/}: {@code <env>.yaml}, what {@code helm template} of the .tgz rendered. */
  public static final String RENDERED = "rendered";
  private static final Pattern SEMVER_ISH =
      Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:[.-]([0-9A-Za-z][0-9A-Za-z.+_-]*))?");
  private static final Pattern SCHEMA_ERROR = Pattern.compile("^- at '([^']*)': (.*)$", Pattern.MULTILINE);

  /**
   * @param chartDirectory {@code target/devplugin/helm/<service>}
   * @param archive the packaged chart
   * @param upToDate true when nothing had changed and Helm did not run
   */
  public record Result(Path chartDirectory, Path archive, String chartVersion, List<String> environments,
      boolean upToDate) {}

  private HelmGoal() {}

  /**
   * Builds, lints, packages and renders the chart of every environment in {@code all}.
   *
   * @param valuesFiles further values files (a team's own {@code -f} files) to render against the chart
   * @throws ProblemsException for invalid manifests, a version Helm cannot take, lint findings, values failing the
   *     schema or a rendering that differs from the manifests
   */
  public static Result run(Configuration all, List<Path> valuesFiles, BuildLog log) {
    EffectiveConfig selected = all.selected();
    Path basedir = selected.project().basedir();
    String defaultEnv = all.environments().containsKey(Environments.DEFAULT) ? Environments.DEFAULT : all.names().get(0);
    EffectiveConfig defaults = all.get(defaultEnv);
    String name = defaults.service().name();
    String version = chartVersion(selected.project().version());
    checkValuesFiles(valuesFiles, basedir);

    Map<String, List<ObjectNode>> objects = new LinkedHashMap<>();
    Map<String, String> expected = new LinkedHashMap<>();
    for (String env : all.names()) {
      EffectiveConfig cfg = all.get(env);
      List<HasMetadata> rendered = K8sGoal.render(cfg, ImageChoice.of(cfg),
          basedir.resolve(cfg.kubernetes().fragmentsDirectory()), K8sGoal.migrationsFingerprint(cfg), quiet(log));
      List<ObjectNode> trees = new ArrayList<>();
      StringBuilder yaml = new StringBuilder();
      for (HasMetadata o : rendered) {
        trees.add(K8sYaml.tree(o));
        yaml.append("---\n").append(K8sYaml.write(o));
      }
      objects.put(env, trees);
      expected.put(env, yaml.toString());
    }
    ChartBuilder.Chart chart = ChartBuilder.build(new ChartBuilder.Metadata(name, version,
        selected.project().version(), selected.project().description(), selected.project().url()), defaultEnv,
        objects);

    Path helmDir = selected.project().devpluginDirectory().resolve("helm");
    Path chartDir = helmDir.resolve(name);
    Path archive = helmDir.resolve(name + "-" + version + ".tgz");
    Fingerprint f = Fingerprint.start().add("generator", GENERATOR_VERSION);
    chart.files().forEach(f::add);
    for (Path p : valuesFiles) {
      f.addFile("values", basedir.resolve(p));
    }
    String fingerprint = f.hex();
    UpToDate stamp = UpToDate.forGoal(selected.project().devpluginDirectory(), "helm", null);
    if (stamp.isUpToDate(fingerprint) && Files.isRegularFile(archive)
        && chart.files().keySet().stream().allMatch(p -> Files.isRegularFile(chartDir.resolve(p)))) {
      log.info("Helm chart " + name + " " + version + " is up to date (" + display(basedir, chartDir) + ", "
          + display(basedir, archive) + ").");
      return new Result(chartDir, archive, version, all.names(), true);
    }

    int written = 0;
    for (Map.Entry<String, String> e : chart.files().entrySet()) {
      if (Outputs.writeIfChanged(chartDir.resolve(e.getKey()), e.getValue())) {
        written++;
      }
    }
    removeStale(chartDir, chart.files().keySet());

    HelmRunner.Lint lint = HelmRunner.lint(chartDir);
    List<Problem> findings = new ArrayList<>();
    for (String m : lint.messages()) {
      if (m.startsWith("[INFO]")) {
        log.info("helm lint: " + m);
      } else {
        findings.add(new Problem(display(basedir, chartDir) + " (helm lint --strict)", m,
            "this chart is generated from the manifests of devplugin:k8s; report the finding as a devplugin bug, or"
                + " skip the chart with -Ddevplugin.helm.skip=true."));
      }
    }
    if (lint.failed() && findings.isEmpty()) {
      findings.add(new Problem(display(basedir, chartDir) + " (helm lint --strict)", "lint failed without a message.",
          "run helm lint --strict on the directory for details."));
    }
    if (!findings.isEmpty()) {
      throw new ProblemsException("helm lint --strict fails on the chart of " + name, findings, null);
    }

    writeArchive(chartDir, helmDir, archive, name);

    List<Problem> problems = new ArrayList<>();
    problems.addAll(ChartParity.compare(expected.get(defaultEnv), template(archive, name, null, basedir, chart),
        "helm template " + archive.getFileName() + " (values.yaml)"));
    Map<String, String> renderings = new LinkedHashMap<>();
    for (String env : all.names()) {
      Path values = chartDir.resolve("values-" + env + ".yaml");
      String rendered = template(archive, name, values, basedir, chart);
      renderings.put(env, rendered);
      problems.addAll(ChartParity.compare(expected.get(env), rendered,
          "helm template " + archive.getFileName() + " -f values-" + env + ".yaml"));
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("The chart " + display(basedir, archive) + " does not render what devplugin:k8s"
          + " generates", problems, null);
    }
    for (Path p : valuesFiles) {
      template(archive, name, basedir.resolve(p), basedir, chart);
    }
    // what helm install -f values-<env>.yaml would apply, for review (and for comparing with kubectl kustomize)
    Path renderedDir = helmDir.resolve(RENDERED);
    renderings.forEach((env, text) -> Outputs.writeIfChanged(renderedDir.resolve(env + ".yaml"), text));
    stamp.record(fingerprint);
    log.info("Helm chart " + name + " " + version + " (appVersion " + selected.project().version() + "): "
        + chart.files().size() + " files in " + display(basedir, chartDir) + " (" + written + " written), packaged as "
        + display(basedir, archive) + "; helm lint --strict clean; helm template of the .tgz renders the objects of"
        + " devplugin:k8s for " + String.join(", ", all.names()) + (valuesFiles.isEmpty() ? "" : "; "
            + valuesFiles.size() + " values file(s) of " + VALUES_FILES_PROPERTY + " pass the schema") + ".");
    return new Result(chartDir, archive, version, all.names(), false);
  }

  /**
   * The chart version: the project's version as SemVer 2, which Helm requires. Missing minor and patch numbers are
   * 0 ({@code 1.2} gives {@code 1.2.0}), a qualifier after '.' or '-' becomes the pre-release ({@code 1.2-SNAPSHOT}
   * gives {@code 1.2.0-SNAPSHOT}, {@code 1.2.3.Final} gives {@code 1.2.3-Final}); {@code appVersion} is the project's
   * version unchanged.
   *
   * @throws ProblemsException naming {@code <version>} when the version does not start with a number
   */
  public static String chartVersion(String projectVersion) {
    Matcher m = SEMVER_ISH.matcher(projectVersion == null ? "" : projectVersion);
    if (!m.matches()) {
      throw new ProblemsException("No Helm chart version", List.of(new Problem("<project><version>",
          "'" + projectVersion + "' cannot be a Helm chart version, which is SemVer 2 (MAJOR.MINOR.PATCH with an"
              + " optional -QUALIFIER).", "give the project a version such as 1.2.3 or 1.2.3-SNAPSHOT, or skip the"
              + " chart with -Ddevplugin.helm.skip=true.")), null);
    }
    String core = m.group(1) + "." + (m.group(2) == null ? "0" : m.group(2)) + "."
        + (m.group(3) == null ? "0" : m.group(3));
    String qualifier = m.group(4);
    if (qualifier == null) {
      return core;
    }
    int plus = qualifier.indexOf('+');
    String pre = (plus < 0 ? qualifier : qualifier.substring(0, plus)).replace('_', '-');
    String build = plus < 0 ? "" : "+" + qualifier.substring(plus + 1).replaceAll("[^0-9A-Za-z.-]", "-");
    return core + (pre.isEmpty() ? "" : "-" + pre) + build;
  }

  private static void checkValuesFiles(List<Path> valuesFiles, Path basedir) {
    List<Problem> problems = new ArrayList<>();
    for (Path p : valuesFiles) {
      if (!Files.isRegularFile(basedir.resolve(p))) {
        problems.add(new Problem(VALUES_FILES_PROPERTY + " (<valuesFiles>)", "the values file " + p + " does not"
            + " exist (relative paths are resolved against " + basedir + ").", "name an existing YAML file, or"
            + " remove it from the list."));
      }
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("Cannot check the chart's values files", problems, null);
    }
  }

  /** {@code helm template}; values failing the schema become problems naming each key. */
  private static String template(Path archive, String release, Path values, Path basedir, ChartBuilder.Chart chart) {
    try {
      return HelmRunner.template(archive, release, values);
    } catch (HelmRunner.HelmFailure e) {
      String where = values == null ? "values.yaml" : display(basedir, values);
      List<Problem> problems = schemaProblems(e.getMessage(), where, chart);
      if (problems.isEmpty()) {
        problems = List.of(new Problem(where, "helm template " + archive.getFileName() + " fails: "
            + e.getMessage().strip(), "correct the values file; values.yaml and values.schema.json in "
            + display(basedir, archive.resolveSibling(chart.name())) + " show every key and its type."));
      }
      throw new ProblemsException("The values in " + where + " do not fit the chart " + chart.name() + " "
          + chart.version(), problems, null);
    }
  }

  /** Helm's schema errors ({@code - at '/deployment/replicas': got string, want integer}), one problem per key. */
  static List<Problem> schemaProblems(String helmMessage, String where, ChartBuilder.Chart chart) {
    List<Problem> out = new ArrayList<>();
    JsonNode schema = Json.read(chart.files().get(ChartBuilder.SCHEMA));
    Matcher m = SCHEMA_ERROR.matcher(helmMessage == null ? "" : helmMessage);
    while (m.find()) {
      String pointer = m.group(1);
      String key = pointer.isEmpty() || pointer.equals("/") ? "(top level)"
          : pointer.substring(1).replace('/', '.');
      JsonNode node = schema;
      for (String part : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/")) {
        node = node.path("properties").path(part);
      }
      String fix;
      if (m.group(2).startsWith("additional properties")) {
        fix = "remove it or correct its spelling; the keys under " + key + " are "
            + String.join(", ", node.path("properties").propertyNames()) + ".";
      } else {
        String type = node.path("type").isMissingNode() ? "the type values.yaml has" : node.path("type").toString()
            .replace("\"", "");
        fix = "give " + key + " a value of type " + type + (node.path("description").isString()
            ? " (it sets " + node.path("description").asString().replaceAll("\\.$", "") + ")" : "")
            + ", as values.yaml does.";
      }
      out.add(new Problem(where + ": values key " + key, m.group(2).strip() + " (values.schema.json)", fix));
    }
    return out;
  }

  private static void writeArchive(Path chartDir, Path helmDir, Path archive, String name) {
    Path staging = helmDir.resolve(".package");
    try {
      deleteTree(staging);
      Files.createDirectories(staging);
      HelmRunner.packageChart(chartDir, staging);
      Path packaged;
      try (Stream<Path> s = Files.list(staging)) {
        packaged = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
            .orElseThrow(() -> new EnvironmentError("helm package wrote no .tgz into " + staging + "."));
      }
      Outputs.writeIfChanged(archive, ChartArchive.normalize(Files.readAllBytes(packaged)));
      deleteTree(staging);
      try (Stream<Path> s = Files.list(helmDir)) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (!p.equals(archive) && n.startsWith(name + "-") && n.endsWith(".tgz")) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot package the chart into " + archive + ": " + e.getMessage(), e);
    }
  }

  private static void removeStale(Path chartDir, java.util.Set<String> keep) {
    try (Stream<Path> s = Files.walk(chartDir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (!keep.contains(chartDir.relativize(p).toString().replace('\\', '/'))) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot remove stale chart files in " + chartDir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * The k8s goal's progress lines are its to give: here they go to debug. Its warnings (findings about the objects)
   * stay warnings: the chart is made of the same objects, and a build that runs {@code helm} without {@code k8s}
   * would otherwise never show them.
   */
  private static BuildLog quiet(BuildLog log) {
    return new BuildLog() {
      @Override
      public void info(String message) {
        log.debug(message);
      }

      @Override
      public void warn(String message) {
        log.warn(message);
      }

      @Override
      public void error(String message) {
        log.error(message);
      }

      @Override
      public void debug(String message) {
        log.debug(message);
      }

      @Override
      public boolean isDebugEnabled() {
        return log.isDebugEnabled();
      }
    };
  }

  private static String display(Path basedir, Path p) {
    return basedir.relativize(p).toString().replace('\\', '/');
  }
}
