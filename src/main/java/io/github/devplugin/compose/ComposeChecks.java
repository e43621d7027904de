package io.github.devplugin.compose;

import static io.github.devplugin.compose.ComposeGenerator.DATABASE_UI;
import static io.github.devplugin.compose.ComposeGenerator.MIGRATE;
import static io.github.devplugin.compose.ComposeGenerator.POSTGRES;
import static io.github.devplugin.compose.ComposeGenerator.POSTGRES_VOLUME;
import static io.github.devplugin.compose.ComposeGenerator.REDIS;
import static io.github.devplugin.compose.ComposeGenerator.REDIS_UI;
import static io.github.devplugin.compose.ComposeGenerator.REDIS_VOLUME;

import io.github.devplugin.config.ComposeSettings;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.ServiceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checks of one environment's configuration against the stack devplugin generates: names that clash with the
 * generated services, volumes and variables, and host ports used twice. Problems go to the {@link Generation}.
 */
final class ComposeChecks {
  private ComposeChecks() {}

  /** Runs every check of {@code c} and declares the POM's variables. */
  static void check(Generation g, EffectiveConfig c) {
    names(g, c);
    ports(g, c);
    declareVariables(g, c);
  }

  /** " (environment NAME)" after the element of a problem of another environment than dev. */
  static String suffix(EffectiveConfig c) {
    return c.environment().equals(ComposeGenerator.BASE_ENVIRONMENT) ? ""
        : " (environment " + c.environment() + ")";
  }

  private static void names(Generation g, EffectiveConfig c) {
    String name = c.service().name();
    Map<String, String> generated = new LinkedHashMap<>();
    if (c.database().enabled()) {
      generated.put(POSTGRES, "PostgreSQL (<database>)");
      generated.put(MIGRATE, "the migrations (<database>)");
      if (c.compose().tools()) {
        generated.put(DATABASE_UI, "the database UI (<database>, <compose><tools>)");
      }
    }
    if (c.cache().enabled()) {
      generated.put(REDIS, "Redis (<cache>)");
      if (c.compose().tools()) {
        generated.put(REDIS_UI, "the Redis UI (<cache>, <compose><tools>)");
      }
    }
    if (generated.containsKey(name)) {
      g.problem("<service><name>" + suffix(c), "the service name '" + name + "' clashes with the compose service"
          + " devplugin generates for " + generated.get(name) + ".",
          "rename the service, e.g. <service><name>" + name + "-app</name></service>.");
    }
    List<String> volumes = new ArrayList<>();
    if (c.database().enabled()) {
      volumes.add(POSTGRES_VOLUME);
    }
    if (c.cache().enabled()) {
      volumes.add(REDIS_VOLUME);
    }
    for (ServiceConfig.VolumeSpec v : c.service().volumes()) {
      if (volumes.contains(v.name())) {
        g.problem("<service><volumes><volume><name>" + suffix(c), "the volume name '" + v.name() + "' clashes with"
            + " the volume devplugin generates for " + (v.name().equals(POSTGRES_VOLUME) ? "PostgreSQL" : "Redis")
            + ".", "rename the volume, e.g. <name>" + name + "-" + v.name() + "</name>.");
      }
    }
  }

  /** Host ports (and the debug port inside the service's container) are each used once. */
  private static void ports(Generation g, EffectiveConfig c) {
    ServiceConfig svc = c.service();
    ComposeSettings cs = c.compose();
    Map<Integer, String> host = new TreeMap<>();
    String suffix = suffix(c);
    usePort(g, host, ComposeServices.appHostPort(c), cs.appPort() != null ? "<compose><appPort>"
        : "<service><port>", suffix);
    for (ServiceConfig.PortSpec p : svc.ports()) {
      usePort(g, host, p.number(), "<service><ports><port> " + p.name(), suffix);
    }
    boolean dev = c.environment().equals(ComposeGenerator.BASE_ENVIRONMENT);
    if (dev && cs.debug()) {
      usePort(g, host, cs.debugPort(), "<compose><debugPort>", suffix);
      if (cs.debugPort() == svc.port() || svc.ports().stream().anyMatch(p -> p.number() == cs.debugPort())) {
        g.problem("<compose><debugPort>" + suffix, "the debug port " + cs.debugPort() + " is also a port of the"
            + " service, inside its container.", "use another <debugPort>, e.g. 5005.");
      }
    }
    if (c.database().enabled()) {
      if (dev) {
        usePort(g, host, cs.postgresPort(), "<compose><postgresPort>", suffix);
      }
      if (cs.tools()) {
        usePort(g, host, cs.databaseUiPort(), "<compose><databaseUiPort>", suffix);
      }
    }
    if (c.cache().enabled()) {
      if (dev) {
        usePort(g, host, cs.redisPort(), "<compose><redisPort>", suffix);
      }
      if (cs.tools()) {
        usePort(g, host, cs.redisUiPort(), "<compose><redisUiPort>", suffix);
      }
    }
  }

  private static void usePort(Generation g, Map<Integer, String> used, int port, String element, String suffix) {
    String other = used.putIfAbsent(port, element);
    if (other != null) {
      String fix;
      if (element.startsWith("<compose><")) {
        String key = element.substring("<compose><".length(), element.length() - 1);
        int suggestion = port + 10000 <= 65535 ? port + 10000 : port - 1;
        fix = "give one of them another port, e.g. <compose><" + key + ">" + suggestion + "</" + key + "></compose>.";
      } else {
        fix = "give one of them another port: change " + other + " or " + element + ".";
      }
      g.problem(element + suffix, "host port " + port + " is used twice: by " + other + " and by " + element + ".",
          fix);
    }
  }

  /** Declares the project name and the POM's {@code <compose><variables>}, refusing names devplugin generates. */
  private static void declareVariables(Generation g, EffectiveConfig c) {
    Variables vars = g.vars;
    vars.declareProject(c.compose().projectName() != null ? c.compose().projectName() : c.service().name());
    for (ComposeSettings.Variable v : c.compose().variables()) {
      if (vars.isGenerated(v.name()) || c.secrets().stream().anyMatch(s -> s.name().equals(v.name()))) {
        g.problem(v.location() + suffix(c), "the variable '" + v.name() + "' clashes with "
            + (vars.isGenerated(v.name()) ? "a variable devplugin generates" : "the secret of the same name") + ".",
            "give it another <name>.");
        continue;
      }
      vars.declare(v.name(), v.value(), v.description() != null ? v.description() : "Declared in the POM ("
          + v.location() + ").");
    }
  }
}
