package io.github.devplugin.compose;

import static io.github.devplugin.compose.ComposeFragments.cast;

import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.ModuleRecord;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UpToDate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The one compose stack of a multi-module build. Every service module's {@code compose} goal generates its own files
 * as a single-module project does and records them in a fragment ({@link #fragmentFile}); the last module of the
 * build to run the goal merges every module's fragment into the top-level project's
 * {@code target/devplugin/compose/}: every service, one shared PostgreSQL, Redis and UI (the modules must define them
 * alike), each module's one-shot migration as {@code <service>-migrate}, and the per-service variables
 * ({@code APP_PORT}, {@code DEBUG_PORT}, {@code APP_<name>_PORT}) prefixed with the service's name, their host ports
 * moved up to the next free one where two modules' clash. Same fragments, same files.
 */
public final class ReactorCompose {
  /** Bumped when the merged output changes for the same fragments. */
  static final String FORMAT = "1";

  /** Services every module's stack may have, of which the merged stack has one. */
  static final List<String> SHARED = List.of(ComposeGenerator.POSTGRES, ComposeGenerator.REDIS,
      ComposeGenerator.DATABASE_UI, ComposeGenerator.REDIS_UI);

  private static final Pattern REFERENCE =
      Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)((?::?[-?+])[^}]*)?\\}");

  private ReactorCompose() {}

  /**
   * A service module's generated stack.
   *
   * @param module the module's artifactId, which messages name
   * @param service its service name
   * @param directory where the module wrote its compose files: relative paths in them start there
   * @param files the generated files by name
   * @param variables the variables they reference, in {@code .env.example}'s order
   */
  public record Fragment(String module, String service, Path directory, Map<String, String> files,
      List<Variables.Var> variables) {}

  /**
   * What to merge.
   *
   * @param project the top-level project's artifactId: the compose project name
   * @param version its version, for the headers
   * @param modules every service module's fragment, in reactor order
   * @param outputDirectory the top-level project's {@code target/devplugin/compose}
   */
  public record Input(String project, String version, List<Fragment> modules, Path outputDirectory) {
    public Input {
      modules = List.copyOf(modules);
    }
  }

  /** {@code <devpluginDirectory>/reactor/compose.json}: a module's fragment. */
  public static Path fragmentFile(Path devpluginDirectory) {
    return devpluginDirectory.resolve("reactor").resolve("compose.json");
  }

  /** Records a module's generated files (called by {@link ComposeGoal}). */
  static void writeFragment(Path file, String service, Path directory, ComposeGenerator.Output out) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("service", service);
    root.put("directory", directory.toAbsolutePath().normalize().toString());
    root.put("files", out.files());
    List<Map<String, Object>> vars = new ArrayList<>();
    for (Variables.Var v : out.variables()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", v.name());
      m.put("value", v.value());
      m.put("comment", v.comment());
      m.put("secret", v.secret());
      m.put("required", v.required());
      vars.add(m);
    }
    root.put("variables", vars);
    ModuleRecord.write(file, root);
  }

  /** Removes a module's fragment: the module is no service (any more). */
  public static void deleteFragment(Path file) {
    ModuleRecord.delete(file);
  }

  /** The fragment of {@code module} in {@code file}, empty when there is none. */
  public static Optional<Fragment> readFragment(String module, Path file) {
    return ModuleRecord.read(file, module, root -> {
      Map<String, String> files = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : root.get("files").properties()) {
        files.put(f.getKey(), f.getValue().asString());
      }
      List<Variables.Var> vars = new ArrayList<>();
      for (JsonNode v : root.get("variables")) {
        vars.add(new Variables.Var(v.get("name").asString(), v.get("value").asString(),
            v.get("comment").asString(), v.get("secret").asBoolean(), v.get("required").asBoolean()));
      }
      return new Fragment(module, root.get("service").asString(), Path.of(root.get("directory").asString()), files,
          vars);
    });
  }

  /**
   * Merges, validates against the Compose Specification's schema and writes the stack, unless nothing changed.
   *
   * @param upToDate the stamp of the last merge ({@code UpToDate.forGoal(<top-level devplugin dir>, "compose",
   *     "reactor")})
   * @throws ProblemsException when the modules' stacks cannot be merged (two services of one name, shared services
   *     defined differently) or a merged file breaks the schema
   */
  public static ComposeGoal.Result run(Input in, UpToDate upToDate, BuildLog log) {
    return run(in, upToDate, log, ComposeSchema.bundled());
  }

  static ComposeGoal.Result run(Input in, UpToDate upToDate, BuildLog log, ComposeSchema schema) {
    Path dir = in.outputDirectory();
    if (in.modules().isEmpty()) {
      log.info("No module of this build is a service with compose files: no reactor stack in " + dir + ".");
      return new ComposeGoal.Result(dir, List.of(), List.of(), List.of(), true);
    }
    Fingerprint f = Fingerprint.start().add("reactor compose", FORMAT).add("schema", schema.source())
        .add("project", in.project() + " " + in.version())
        .add("output", dir.toAbsolutePath().normalize().toString());
    for (Fragment m : in.modules()) {
      f.add("module", m.module()).add("service", m.service()).add("directory", m.directory().toString())
          .add("files", new java.util.TreeMap<>(m.files()).toString()).add("variables", m.variables().toString());
    }
    String fingerprint = f.hex();
    List<String> expected = fileNames(in);
    List<String> services = in.modules().stream().map(Fragment::service).toList();
    if (upToDate.isUpToDate(fingerprint) && expected.stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
      log.info("The reactor's compose stack in " + dir + " is up to date (services " + String.join(", ", services)
          + ").");
      return new ComposeGoal.Result(dir, List.of(), expected, List.of(), true);
    }
    ComposeGenerator.Output out = merge(in);
    ComposeGoal.Written w = ComposeGoal.write(dir, out, schema, log);
    upToDate.record(fingerprint);
    log.info(w.summary(dir) + ": the one stack of the services " + String.join(", ", services)
        + " of this build; validated against the Compose Specification schema." + w.deletedNote());
    return new ComposeGoal.Result(dir, w.written(), w.unchanged(), w.deleted(), false);
  }

  /** The merged files' names: the base file, the dev override, each environment's file, {@code .env.example}. */
  static List<String> fileNames(Input in) {
    Set<String> others = new TreeSet<>();
    for (Fragment m : in.modules()) {
      for (String n : m.files().keySet()) {
        if (n.endsWith(".yml") && !n.equals(ComposeGenerator.COMPOSE_FILE)
            && !n.equals(ComposeGenerator.DEV_OVERRIDE_FILE)) {
          others.add(n);
        }
      }
    }
    List<String> names = new ArrayList<>();
    names.add(ComposeGenerator.COMPOSE_FILE);
    names.add(ComposeGenerator.DEV_OVERRIDE_FILE);
    names.addAll(others);
    names.add(ComposeGenerator.ENV_EXAMPLE_FILE);
    return names;
  }

  /**
   * The merged files. Pure: same input, same text.
   *
   * @throws ProblemsException listing every problem
   */
  static ComposeGenerator.Output merge(Input in) {
    List<Problem> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<Fragment, Map<String, String>> renames = new LinkedHashMap<>();
    for (Fragment m : in.modules()) {
      Map<String, String> r = new LinkedHashMap<>();
      for (Variables.Var v : m.variables()) {
        if (perService(v.name())) {
          r.put(v.name(), prefix(m.service()) + "_" + v.name());
        }
      }
      renames.put(m, r);
    }
    Map<String, Integer> ports = hostPorts(in, renames, notes);

    Variables vars = new Variables();
    vars.declareProject(in.project());
    Map<String, String> varModule = new LinkedHashMap<>();
    for (Fragment m : in.modules()) {
      for (Variables.Var v : m.variables()) {
        if (v.name().equals("COMPOSE_PROJECT_NAME")) {
          continue;
        }
        String name = renames.get(m).getOrDefault(v.name(), v.name());
        String value = ports.containsKey(name) ? String.valueOf(ports.get(name)) : v.value();
        String comment = renames.get(m).containsKey(v.name()) ? m.service() + ": " + v.comment() : v.comment();
        String other = varModule.putIfAbsent(name, m.module());
        Variables.Var known = vars.all().stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
        if (other != null && known != null && !known.value().equals(value)) {
          problems.add(new Problem("the compose variable " + name + " of " + m.module(), "defaults to '" + value
              + "' there but to '" + known.value() + "' in " + other + "; the one stack has one .env.",
              "configure the value alike in both modules (e.g. in the parent POM's plugin configuration)."));
        }
        vars.add(new Variables.Var(name, value, comment, v.secret(), v.required()));
      }
    }

    Map<String, String> files = new LinkedHashMap<>();
    List<String> names = fileNames(in);
    for (String name : names) {
      if (!name.endsWith(".yml")) {
        continue;
      }
      Map<String, Object> services = new LinkedHashMap<>();
      Map<String, Object> volumes = new LinkedHashMap<>();
      Map<String, String> owners = new LinkedHashMap<>();
      for (Fragment m : in.modules()) {
        String text = m.files().get(name);
        if (text == null) {
          continue;
        }
        Map<String, Object> tree = transform(ComposeYaml.readMap(text), m, renames.get(m), ports,
            in.outputDirectory());
        Map<String, Object> moduleServices = tree.containsKey("services") ? cast(tree.get("services")) : Map.of();
        for (Map.Entry<String, Object> s : moduleServices.entrySet()) {
          String owner = owners.putIfAbsent(s.getKey(), m.module());
          if (owner == null) {
            services.put(s.getKey(), s.getValue());
          } else if (SHARED.contains(s.getKey())) {
            if (!Objects.equals(services.get(s.getKey()), s.getValue())) {
              problems.add(new Problem("the compose service '" + s.getKey() + "' of " + m.module() + " (" + name
                  + ")", "is defined differently in " + owner + "; the one stack shares one '" + s.getKey()
                  + "' between its services.", "configure <database>, <cache> and <compose> alike in both modules"
                  + " (the same <database><name> and <user>, the same images and ports), e.g. in the parent POM's"
                  + " plugin configuration."));
            }
          } else {
            problems.add(new Problem("<service><name> of " + m.module(), "the compose service '" + s.getKey()
                + "' clashes with the service of the same name of " + owner + "; one stack cannot hold two"
                + " services of one name.", "give one of them another <service><name>."));
          }
        }
        if (tree.containsKey("volumes")) {
          ComposeFragments.<Object>cast(tree.get("volumes")).forEach(volumes::putIfAbsent);
        }
      }
      // the modules' services first, in reactor order, then the shared ones
      Map<String, Object> ordered = new LinkedHashMap<>();
      services.forEach((k, v) -> {
        if (!SHARED.contains(k)) {
          ordered.put(k, v);
        }
      });
      SHARED.stream().filter(services::containsKey).forEach(k -> ordered.put(k, services.get(k)));
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("services", ordered);
      if (!volumes.isEmpty()) {
        file.put("volumes", volumes);
      }
      files.put(name, header(in, name) + ComposeYaml.write(file));
    }
    files.put(ComposeGenerator.ENV_EXAMPLE_FILE, vars.envExample(in.project()));
    if (!problems.isEmpty()) {
      throw new ProblemsException("The compose stack of this multi-module build cannot be generated",
          List.copyOf(new LinkedHashSet<>(problems)), "Nothing was written.");
    }
    return new ComposeGenerator.Output(files, notes, vars.all());
  }

  /** {@code APP_PORT}, {@code DEBUG_PORT}, {@code APP_<port name>_PORT}: each service has its own. */
  static boolean perService(String variable) {
    return variable.equals(ComposeServices.APP_PORT_VARIABLE) || variable.equals("DEBUG_PORT")
        || variable.matches("APP_[A-Z0-9_]+_PORT");
  }

  /** {@code svc-a} -> {@code SVC_A}. */
  static String prefix(String service) {
    String p = service.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    return Character.isDigit(p.charAt(0)) ? "S" + p : p;
  }

  /**
   * The default host port of every port variable of the merged stack: the shared ones as the modules give them, each
   * service's own moved up to the next free port where an earlier one holds it.
   */
  private static Map<String, Integer> hostPorts(Input in, Map<Fragment, Map<String, String>> renames,
      List<String> notes) {
    Set<Integer> used = new HashSet<>();
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Fragment m : in.modules()) {
      for (Variables.Var v : m.variables()) {
        if (!renames.get(m).containsKey(v.name()) && v.name().endsWith("_PORT") && v.value().matches("\\d{1,5}")
            && !out.containsKey(v.name())) {
          out.put(v.name(), Integer.parseInt(v.value()));
          used.add(Integer.parseInt(v.value()));
        }
      }
    }
    Map<Integer, String> holders = new LinkedHashMap<>();
    for (Fragment m : in.modules()) {
      for (Variables.Var v : m.variables()) {
        String name = renames.get(m).get(v.name());
        if (name == null || !v.value().matches("\\d{1,5}")) {
          continue;
        }
        int wanted = Integer.parseInt(v.value());
        int port = wanted;
        while (used.contains(port) && port < 65535) {
          port++;
        }
        if (port != wanted) {
          notes.add("Host port " + wanted + " of " + m.service() + " (" + name + ") is taken in the reactor's stack"
              + (holders.containsKey(wanted) ? " by " + holders.get(wanted) : "") + ": it publishes on " + port
              + " (set " + name + " in .env, or <compose><appPort>/<debugPort> in " + m.module() + ").");
        }
        used.add(port);
        holders.put(port, name);
        out.put(name, port);
      }
    }
    return out;
  }

  /**
   * A module's compose tree as the merged stack holds it: its {@code migrate} service named
   * {@code <service>-migrate}, its own variables renamed (with their merged host ports), its relative paths made
   * relative to the merged files' directory.
   */
  private static Map<String, Object> transform(Map<String, Object> tree, Fragment m, Map<String, String> renames,
      Map<String, Integer> ports, Path outputDirectory) {
    String migrate = m.service() + "-" + ComposeGenerator.MIGRATE;
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> top : tree.entrySet()) {
      if (!top.getKey().equals("services")) {
        out.put(top.getKey(), top.getValue());
        continue;
      }
      Map<String, Object> services = new LinkedHashMap<>();
      for (Map.Entry<String, Object> s : ComposeFragments.<Object>cast(top.getValue()).entrySet()) {
        Map<String, Object> service = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ComposeFragments.<Object>cast(s.getValue()).entrySet()) {
          Object value = strings(e.getValue(), text -> references(text, renames, ports));
          if (e.getKey().equals("depends_on") && value instanceof Map<?, ?> deps) {
            Map<String, Object> renamed = new LinkedHashMap<>();
            deps.forEach((k, v) -> renamed.put(k.equals(ComposeGenerator.MIGRATE) ? migrate : (String) k, v));
            value = renamed;
          } else if (e.getKey().equals("build") && value instanceof Map<?, ?> build
              && build.get("context") instanceof String context) {
            Map<String, Object> b = new LinkedHashMap<>(cast(build));
            b.put("context", rebase(context, m.directory(), outputDirectory));
            value = b;
          } else if (e.getKey().equals("volumes") && value instanceof List<?> list) {
            value = list.stream().map(v -> v instanceof String mount && mount.startsWith(".")
                ? rebase(mount.substring(0, mount.indexOf(':') < 0 ? mount.length() : mount.indexOf(':')),
                    m.directory(), outputDirectory) + (mount.indexOf(':') < 0 ? "" : mount.substring(
                        mount.indexOf(':'))) : v).toList();
          }
          service.put(e.getKey(), value);
        }
        services.put(s.getKey().equals(ComposeGenerator.MIGRATE) ? migrate : s.getKey(), service);
      }
      out.put("services", services);
    }
    return out;
  }

  private static Object strings(Object value, java.util.function.UnaryOperator<String> f) {
    if (value instanceof String s) {
      return f.apply(s);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, strings(v, f)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> strings(v, f)).toList();
    }
    return value;
  }

  /** {@code ${APP_PORT:-8080}} -> {@code ${SVC_A_APP_PORT:-8081}}: renamed, with its merged host port. */
  static String references(String text, Map<String, String> renames, Map<String, Integer> ports) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (matcher.find()) {
      String name = renames.getOrDefault(matcher.group(1), matcher.group(1));
      String rest = matcher.group(2) == null ? "" : matcher.group(2);
      if (ports.containsKey(name) && rest.startsWith(":-")) {
        rest = ":-" + ports.get(name);
      }
      matcher.appendReplacement(sb, Matcher.quoteReplacement("${" + name + rest + "}"));
    }
    matcher.appendTail(sb);
    return sb.toString();
  }

  /** A path relative to {@code from} as a path relative to {@code to}, starting with {@code .}. */
  static String rebase(String path, Path from, Path to) {
    Path target = from.toAbsolutePath().resolve(path).normalize();
    String rel = to.toAbsolutePath().normalize().relativize(target).toString().replace('\\', '/');
    return rel.isEmpty() ? "." : rel.startsWith(".") ? rel : "./" + rel;
  }

  private static String header(Input in, String file) {
    List<String> usage;
    String what;
    if (file.equals(ComposeGenerator.COMPOSE_FILE)) {
      what = "The one stack of this multi-module build: every service module's service and one-shot migration,"
          + " one shared PostgreSQL and Redis, and the UIs of the 'tools' profile.";
      usage = List.of("cp .env.example .env   # then fill in the secrets",
          "docker compose up -d   # reads docker-compose.override.yml too (dev: debug ports, class mounts)");
    } else if (file.equals(ComposeGenerator.DEV_OVERRIDE_FILE)) {
      what = "What only the dev environment has: each service's debug port and class mounts, PostgreSQL and Redis"
          + " published on 127.0.0.1.";
      usage = List.of("docker compose up -d");
    } else {
      what = "The " + file.substring("docker-compose.".length(), file.length() - ".yml".length())
          + " environment over docker-compose.yml.";
      usage = List.of("docker compose -f docker-compose.yml -f " + file + " up -d");
    }
    StringBuilder sb = new StringBuilder(ComposeGenerator.MARKER)
        .append(" Do not edit: change the modules' POMs and run mvn package.\n# ").append(in.project()).append(' ')
        .append(in.version()).append(", services ")
        .append(String.join(", ", in.modules().stream().map(Fragment::service).toList())).append(". ")
        .append(what).append('\n');
    for (String u : usage) {
      sb.append("#   ").append(u).append('\n');
    }
    return sb.toString();
  }
}
