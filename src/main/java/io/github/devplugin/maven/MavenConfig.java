package io.github.devplugin.maven;

import io.github.devplugin.config.ConfigNode;
import io.github.devplugin.config.ProjectInfo;
import io.github.devplugin.config.Secrets;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.model.License;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.codehaus.plexus.configuration.PlexusConfiguration;

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
    return new ProjectInfo(p.getGroupId(), p.getArtifactId(), p.getVersion(), p.getName(), p.getDescription(),
        p.getUrl(), licenses, scm, p.getBasedir().toPath(), new File(p.getBuild().getDirectory()).toPath(),
        new File(p.getBuild().getOutputDirectory()).toPath());
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
}
