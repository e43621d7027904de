package io.github.devplugin.maven;

import io.github.devplugin.config.ConfigNode;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.framework.BuildPlugin;
import io.github.devplugin.framework.Coordinates;
import io.github.devplugin.framework.Dependency;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.License;
import org.apache.maven.model.Parent;
import org.apache.maven.model.Plugin;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.codehaus.plexus.configuration.PlexusConfiguration;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/** Converts Maven's model into the plain configuration model: the one place that knows both. */
final class MavenConfig {
  private MavenConfig() {}

  static ConfigNode toNode(PlexusConfiguration c, String parentLocation) {
    String location = parentLocation + "<" + c.getName() + ">";
    List<ConfigNode> children = new ArrayList<>();
    for (PlexusConfiguration child : c.getChildren()) {
      children.add(toNode(child, location));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String a : c.getAttributeNames()) {
      attributes.put(a, c.getAttribute(a));
    }
    String value = c.getValue();
    if (value != null) {
      value = value.trim();
    }
    return ConfigNode.of(c.getName(), children.isEmpty() ? value : null, children, attributes, location);
  }

  static ProjectInfo projectInfo(MavenProject p) {
    List<String> licenses = new ArrayList<>();
    for (License l : p.getLicenses()) {
      if (l.getName() != null) {
        licenses.add(l.getName());
      }
    }
    String scm = p.getScm() == null ? null : p.getScm().getUrl();
    List<BuildPlugin> plugins = new ArrayList<>();
    for (Plugin plugin : p.getBuildPlugins()) {
      plugins.add(new BuildPlugin(plugin.getGroupId(), plugin.getArtifactId(), plugin.getVersion(),
          simpleValues(plugin.getConfiguration())));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    for (String key : p.getProperties().stringPropertyNames()) {
      properties.put(key, p.getProperties().getProperty(key));
    }
    Parent parent = p.getModel().getParent();
    return new ProjectInfo(p.getGroupId(), p.getArtifactId(), p.getVersion(), p.getName(), p.getDescription(),
        p.getUrl(), licenses, scm, p.getBasedir().toPath(), new File(p.getBuild().getDirectory()).toPath(),
        new File(p.getBuild().getOutputDirectory()).toPath())
        .withBuild(dependencies(p), plugins,
            parent == null ? null : new Coordinates(parent.getGroupId(), parent.getArtifactId(), parent.getVersion()),
            javaRelease(properties, plugins), properties);
  }

  /** The resolved artifacts when the goal resolved them, else the declared dependencies (with managed versions). */
  private static List<Dependency> dependencies(MavenProject p) {
    List<Dependency> out = new ArrayList<>();
    if (p.getArtifacts() != null && !p.getArtifacts().isEmpty()) {
      for (Artifact a : p.getArtifacts()) {
        out.add(new Dependency(a.getGroupId(), a.getArtifactId(), a.getBaseVersion(), a.getScope(),
            a.getFile() == null ? null : a.getFile().toPath()));
      }
      return out;
    }
    for (org.apache.maven.model.Dependency d : p.getDependencies()) {
      out.add(new Dependency(d.getGroupId(), d.getArtifactId(), d.getVersion(), d.getScope(), null));
    }
    return out;
  }

  /** {@code maven.compiler.release}, else {@code .target}, else {@code .source}, else the compiler plugin's. */
  private static Integer javaRelease(Map<String, String> properties, List<BuildPlugin> plugins) {
    for (String key : List.of("maven.compiler.release", "maven.compiler.target", "maven.compiler.source")) {
      Integer release = ProjectInfo.javaRelease(properties.get(key));
      if (release != null) {
        return release;
      }
    }
    for (BuildPlugin plugin : plugins) {
      if (plugin.artifactId().equals("maven-compiler-plugin")) {
        for (String key : List.of("release", "target", "source")) {
          Integer release = ProjectInfo.javaRelease(plugin.configuration().get(key));
          if (release != null) {
            return release;
          }
        }
      }
    }
    return null;
  }

  /** The configuration elements of a plugin that hold text (not nested elements), by name. */
  private static Map<String, String> simpleValues(Object configuration) {
    Map<String, String> out = new LinkedHashMap<>();
    if (configuration instanceof Xpp3Dom dom) {
      for (Xpp3Dom child : dom.getChildren()) {
        if (child.getChildCount() == 0 && child.getValue() != null && !child.getValue().isBlank()) {
          out.put(child.getName(), child.getValue().trim());
        }
      }
    }
    return out;
  }

  /** Looks up a {@code settings.xml} server and decrypts it with Maven's {@link SettingsDecrypter}. */
  static Secrets.ServerLookup servers(Settings settings, SettingsDecrypter decrypter) {
    return id -> {
      if (settings == null) {
        return Optional.empty();
      }
      Server server = settings.getServer(id);
      if (server == null) {
        return Optional.empty();
      }
      SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
      for (SettingsProblem problem : result.getProblems()) {
        if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
          throw new io.github.devplugin.core.UserError("Cannot decrypt the password of settings.xml server '" + id
              + "': " + problem.getMessage() + ". Fix: re-encrypt it with mvn --encrypt-password and check"
              + " ~/.m2/settings-security.xml.");
        }
      }
      Server s = result.getServer();
      return Optional.of(new Secrets.ServerCredentials(s.getUsername(), s.getPassword(), s.getPassphrase(),
          s.getPrivateKey()));
    };
  }

  /**
   * Maven's offline mode and the active proxies of settings.xml (at most one per protocol, the first active one, as
   * Maven uses them), passwords decrypted and registered with the masker.
   */
  static io.github.devplugin.core.Network network(org.apache.maven.execution.MavenSession session,
      SettingsDecrypter decrypter, io.github.devplugin.core.Masker masker) {
    if (session == null || session.getSettings() == null) {
      return io.github.devplugin.core.Network.DIRECT;
    }
    Settings settings = session.getSettings();
    java.util.List<io.github.devplugin.core.Network.Proxy> proxies = new java.util.ArrayList<>();
    java.util.Set<String> protocols = new java.util.HashSet<>();
    for (org.apache.maven.settings.Proxy p : settings.getProxies()) {
      String protocol = p.getProtocol() == null ? "http" : p.getProtocol().toLowerCase(java.util.Locale.ROOT);
      if (!p.isActive() || !protocols.add(protocol)) {
        continue;
      }
      SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(p));
      for (SettingsProblem problem : result.getProblems()) {
        if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
          throw new io.github.devplugin.core.UserError("Cannot decrypt the password of settings.xml proxy '"
              + p.getId() + "': " + problem.getMessage() + ". Fix: re-encrypt it with mvn --encrypt-password and"
              + " check ~/.m2/settings-security.xml.");
        }
      }
      org.apache.maven.settings.Proxy d = result.getProxy() == null ? p : result.getProxy();
      if (d.getPassword() != null && !d.getPassword().isEmpty()) {
        masker.add(d.getPassword());
      }
      proxies.add(new io.github.devplugin.core.Network.Proxy(d.getId(), protocol, d.getHost(), d.getPort(),
          d.getNonProxyHosts(), d.getUsername(), d.getPassword()));
    }
    return new io.github.devplugin.core.Network(session.isOffline() || settings.isOffline(), proxies);
  }
}
