package io.github.devplugin.config;

import io.github.devplugin.framework.Detection;
import io.github.devplugin.framework.Framework;
import io.github.devplugin.framework.FrameworkProfile;
import io.github.devplugin.framework.Profiles;
import io.github.devplugin.framework.ResolvedFramework;
import io.github.devplugin.framework.Variables;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service being deployed, after environment overlays: the {@code <service>} element.
 *
 * @param name DNS label used for the image, the Kubernetes objects and the compose service
 * @param env plain (non-secret) environment variables, sorted by name
 * @param ports extra container ports besides {@code port}, sorted by number
 * @param ingress the Ingress, or null when the service has none
 * @param framework the service's framework ({@code <service><framework>}, detected by default), its profile and the
 *     variable names ({@code <service><variables>})
 */
public record ServiceConfig(String name, String version, int port, String healthPath, String mainClass,
    List<String> jvmFlags, Map<String, String> env, List<PortSpec> ports, Resources resources, int replicas,
    Autoscaling autoscaling, List<VolumeSpec> volumes, IngressSpec ingress, ResolvedFramework framework) {

  public ServiceConfig {
    jvmFlags = List.copyOf(jvmFlags);
    env = java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    ports = List.copyOf(ports);
    volumes = List.copyOf(volumes);
  }

  /** A container port. {@code name} is an IANA service name (at most 15 characters). */
  public record PortSpec(int number, String name, String protocol) {}

  /** Requests and limits as Kubernetes quantities (CPU cores, memory bytes). */
  public record Resources(String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {}

  /** A HorizontalPodAutoscaler on CPU utilisation; {@code enabled} false means a fixed replica count. */
  public record Autoscaling(boolean enabled, int minReplicas, int maxReplicas, int targetCpuUtilization) {}

  /** A persistent volume: a PVC in Kubernetes, a named volume in compose. */
  public record VolumeSpec(String name, String mountPath, String size, String storageClass, String accessMode) {}

  /** An Ingress; {@code tlsSecret} null means plain HTTP. */
  public record IngressSpec(String host, String path, String className, String tlsSecret) {}

  static ServiceConfig from(Section s, ProjectInfo project) {
    String defaultName = project.artifactId();
    String name = s.string("name", defaultName);
    if (name != null && !Names.isDnsLabel(name)) {
      s.problem("name", "'" + name + "' is not a valid service name (lower case letters, digits and '-', at most 63"
          + " characters; it names the image, the Kubernetes objects and the compose service).",
          "set <service><name>" + Names.toDnsLabel(name) + "</name></service>.");
    }
    String version = s.string("version", project.version());
    int port = s.integer("port", 8080, 1, 65535);
    String healthPath = s.string("healthPath", "/health");
    if (healthPath != null && !healthPath.startsWith("/")) {
      s.problem("healthPath", "'" + healthPath + "' is not an absolute HTTP path.",
          "start it with '/', e.g. <healthPath>/health</healthPath>.");
    }
    String mainClass = s.string("mainClass", null);
    List<String> jvmFlags = s.list("jvmFlags", "jvmFlag", List.of());

    Map<String, String> env = new HashMap<>();
    for (Map.Entry<String, Section.Value> e : s.map("env").entrySet()) {
      String key = e.getKey();
      Section.Value v = e.getValue();
      if (!Names.isEnvVarName(key)) {
        s.problem(v, "'" + key + "' is not a valid environment variable name.",
            "use letters, digits and '_', not starting with a digit.");
        continue;
      }
      if (Names.looksSecret(key) && !v.text().isEmpty() && !v.text().startsWith("${")) {
        s.problem(v, "looks like a secret written in plain text in the POM.",
            "remove it from <env> and declare <secrets><secret><name>" + key + "</name><env>VARIABLE</env></secret>"
                + "</secrets> (or <server> for a settings.xml server, or <file>).");
        continue;
      }
      java.util.Optional<String> control = io.github.devplugin.framework.EnvValues.controlCharacter(v.text());
      if (control.isPresent()) {
        s.problem(v, "holds " + control.get() + ": a Dockerfile ENV, compose files and .env cannot carry control"
            + " characters other than tab faithfully (one rule for the image, the Dockerfile, compose and"
            + " Kubernetes: $$ is a dollar sign, ${NAME} a reference, everything else literal).",
            io.github.devplugin.framework.EnvValues.CONTROL_FIX);
        continue;
      }
      env.put(key, v.text());
    }
    for (Map.Entry<String, Section.Value> e : s.map("env").entrySet()) {
      if (!env.containsKey(e.getKey())) {
        continue;
      }
      for (String ref : io.github.devplugin.framework.EnvValues.Value.parse(e.getValue().text()).references()) {
        if (env.containsKey(ref) && !ref.equals(e.getKey())) {
          s.problem(e.getValue(), "references ${" + ref + "}, another entry of <service><env>; neither the image"
              + " nor compose nor Kubernetes resolves references between them.", "write its value here instead.");
          break;
        }
      }
    }

    List<PortSpec> ports = new ArrayList<>();
    Map<String, Integer> portNames = new HashMap<>();
    portNames.put("http", port);
    for (Section p : s.keyed("ports", "port", "number")) {
      int number = p.integer("number", 0, 1, 65535);
      String portName = p.string("name", null);
      String protocol = p.string("protocol", "TCP");
      if (number == port) {
        p.problem("number", "port " + number + " is already the service's main <port>.",
            "remove this entry or use another number.");
        continue;
      }
      if (portName == null) {
        p.problem("name", "port " + number + " has no name.", "add <name>, e.g. <name>metrics</name>.");
        continue;
      }
      if (!Names.isPortName(portName)) {
        p.problem("name", "'" + portName + "' is not a valid port name (at most 15 lower case letters, digits and"
            + " '-', with at least one letter).", "use e.g. <name>metrics</name>.");
        continue;
      }
      Integer other = portNames.putIfAbsent(portName, number);
      if (other != null) {
        p.problem("name", "port name '" + portName + "' is used twice (ports " + other + " and " + number + ").",
            "give each port its own <name>.");
        continue;
      }
      if (!protocol.equals("TCP") && !protocol.equals("UDP") && !protocol.equals("SCTP")) {
        p.problem("protocol", "'" + protocol + "' is not a port protocol.", "use TCP, UDP or SCTP.");
        continue;
      }
      ports.add(new PortSpec(number, portName, protocol));
    }
    ports.sort(java.util.Comparator.comparingInt(PortSpec::number));

    Section res = s.section("resources");
    Section req = res.section("requests");
    Section lim = res.section("limits");
    String cpuRequest = Quantities.check(req, "cpu", "100m", false);
    String memoryRequest = Quantities.check(req, "memory", "256Mi", true);
    String cpuLimit = Quantities.check(lim, "cpu", "1", false);
    String memoryLimit = Quantities.check(lim, "memory", "512Mi", true);
    checkOrder(lim, "cpu", cpuRequest, cpuLimit);
    checkOrder(lim, "memory", memoryRequest, memoryLimit);

    int replicas = s.integer("replicas", 1, 0, 1000);
    Section as = s.section("autoscaling");
    boolean asEnabled = as.bool("enabled", false);
    int minReplicas = as.integer("minReplicas", Math.max(1, replicas), 1, 1000);
    int maxReplicas = as.integer("maxReplicas", Math.max(minReplicas, replicas) * 3, 1, 1000);
    int target = as.integer("targetCpuUtilization", 75, 1, 100);
    if (minReplicas > maxReplicas) {
      as.problem("maxReplicas", "maxReplicas " + maxReplicas + " is lower than minReplicas " + minReplicas + ".",
          "make <minReplicas> less than or equal to <maxReplicas>.");
    }

    List<VolumeSpec> volumes = new ArrayList<>();
    java.util.Set<String> mountPaths = new java.util.HashSet<>();
    for (Section v : s.keyed("volumes", "volume", "name")) {
      String vname = v.string("name", null);
      String mountPath = v.string("mountPath", null);
      String size = Quantities.check(v, "size", "1Gi", true);
      String storageClass = v.string("storageClass", null);
      String accessMode = v.string("accessMode", "ReadWriteOnce");
      if (!Names.isDnsLabel(vname)) {
        v.problem("name", "'" + vname + "' is not a valid volume name.",
            "use lower case letters, digits and '-', e.g. <name>" + Names.toDnsLabel(vname) + "</name>.");
        continue;
      }
      if (mountPath == null || !mountPath.startsWith("/")) {
        v.problem("mountPath", "volume '" + vname + "' needs an absolute <mountPath>.",
            "add e.g. <mountPath>/var/lib/" + vname + "</mountPath>.");
        continue;
      }
      if (!mountPaths.add(mountPath)) {
        v.problem("mountPath", "mount path " + mountPath + " is used by two volumes.",
            "give each volume its own <mountPath>.");
        continue;
      }
      if (!List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod").contains(accessMode)) {
        v.problem("accessMode", "'" + accessMode + "' is not a volume access mode.",
            "use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.");
        continue;
      }
      volumes.add(new VolumeSpec(vname, mountPath, size, storageClass, accessMode));
    }

    Section ing = s.section("ingress");
    IngressSpec ingress = null;
    boolean ingressEnabled = ing.bool("enabled", ing.isSet("host"));
    String host = ing.string("host", null);
    String path = ing.string("path", "/");
    String className = ing.string("className", null);
    String tlsSecret = ing.string("tlsSecret", null);
    if (ingressEnabled) {
      if (host == null) {
        ing.problem("host", "an Ingress needs a host.",
            "set <ingress><host>app.example.com</host></ingress> or <ingress><enabled>false</enabled></ingress>.");
      } else if (!Names.isHost(host)) {
        ing.problem("host", "'" + host + "' is not a valid host name.", "use a DNS name like app.example.com.");
      } else if (!path.startsWith("/")) {
        ing.problem("path", "'" + path + "' is not an absolute path.", "start it with '/'.");
      } else {
        ingress = new IngressSpec(host, path, className, tlsSecret);
      }
    }

    ResolvedFramework framework = framework(s, project, env, healthPath, s.isSet("healthPath"));

    return new ServiceConfig(name, version, port, healthPath, mainClass, jvmFlags, env, ports,
        new Resources(cpuRequest, cpuLimit, memoryRequest, memoryLimit), replicas,
        new Autoscaling(asEnabled, minReplicas, maxReplicas, target), volumes, ingress, framework);
  }

  /**
   * {@code <service><framework>} ({@code auto}: detected from the project's dependencies, build plugins and parent)
   * and {@code <service><variables>} (the framework's names by default).
   */
  private static ResolvedFramework framework(Section s, ProjectInfo project, Map<String, String> env,
      String healthPath, boolean healthPathSet) {
    Detection detected = Detection.detect(project.dependencies(), project.plugins(), project.parent());
    Section.Value chosen = s.raw("framework");
    String setting = s.string("framework", Framework.AUTO);
    Detection detection = detected;
    if (chosen != null && !Framework.AUTO.equalsIgnoreCase(chosen.text().trim())) {
      Framework f = Framework.fromLabel(chosen.text()).orElse(null);
      if (f == null) {
        String hint = "";
        for (String candidate : Framework.settings()) {
          if (!Section.didYouMean(chosen.text().trim(), List.of(candidate)).isEmpty()) {
            hint = " Did you mean '" + candidate + "'?";
            break;
          }
        }
        s.problem(chosen, "'" + chosen.text() + "' is not a framework devplugin knows." + hint,
            "use one of " + String.join(", ", Framework.settings()) + " (auto detects it from the dependencies).");
      } else {
        setting = f.label();
        detection = Detection.chosen(f, f == detected.framework() ? detected.version() : null,
            chosen.location());
      }
    } else {
      setting = Framework.AUTO;
    }
    FrameworkProfile profile = Profiles.of(detection, new Profiles.Inputs(project.dependencies(), project.plugins(),
        project.properties(), applicationProperties(project.basedir()), env, healthPath, healthPathSet));
    Section vs = s.section("variables");
    Map<String, String> names = new HashMap<>();
    for (String key : Variables.KEYS) {
      String value = vs.string(key, profile.variables().get(key));
      if (value != null && !Names.isEnvVarName(value)) {
        vs.problem(key, "'" + value + "' is not a valid environment variable name.",
            "use letters, digits and '_', not starting with a digit, e.g. <" + key + ">MY_"
                + key.replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT) + "</" + key + ">.");
        continue;
      }
      names.put(key, value);
    }
    return new ResolvedFramework(detection, setting, profile.withVariables(profile.variables().with(names)));
  }

  /** {@code src/main/resources/application.properties}, where Spring Boot services set e.g. a management port. */
  private static Map<String, String> applicationProperties(Path basedir) {
    Map<String, String> out = new HashMap<>();
    if (basedir == null) {
      return out;
    }
    Path file = basedir.resolve("src/main/resources/application.properties");
    ConfigLoader.looksAt(file);
    if (!Files.isRegularFile(file)) {
      return out;
    }
    java.util.Properties props = new java.util.Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    } catch (IOException e) {
      throw new io.github.devplugin.core.EnvironmentError("Cannot read " + file + ": " + e.getMessage()
          + ". Fix: check the file's permissions.", e);
    }
    for (String key : props.stringPropertyNames()) {
      out.put(key, props.getProperty(key));
    }
    return out;
  }

  private static void checkOrder(Section limits, String key, String request, String limit) {
    if (request == null || limit == null) {
      return;
    }
    BigDecimal r = Quantities.amount(request);
    BigDecimal l = Quantities.amount(limit);
    if (r.compareTo(l) > 0) {
      limits.problem(key, key + " limit " + limit + " is lower than the request " + request + ".",
          "raise <resources><limits><" + key + "> or lower <resources><requests><" + key + ">.");
    }
  }
}
