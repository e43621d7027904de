package io.github.devplugin.image;

import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a registry's credentials come from, in this order, for everything that talks to a registry (jib-core's pulls
 * and pushes in {@link ImageBuilder}, the SBOM's read-back and attachment in {@link ImageSbom}): the settings.xml
 * server ({@code serverId}, else the registry's host name) when it has a user name and password; else jib-core's
 * retrievers: {@code <image><credHelper>}, the Docker config, the well-known credential helpers.
 */
final class RegistryCredentials {
  private RegistryCredentials() {}

  /** A login from settings.xml; {@code source} names the server for messages (never the password). */
  record Login(String source, String username, String password) {}

  /**
   * The settings.xml server's login.
   *
   * @param serverId the configured server id, or null to look the registry's host name up
   * @param serverElement the POM element that names {@code serverId}, for the error
   * @throws UserError when {@code serverId} names a server settings.xml does not have
   */
  static Optional<Login> settingsServer(Secrets secrets, String serverId, String serverElement, String registry) {
    String id = serverId != null ? serverId : registry;
    Optional<Secrets.ServerCredentials> server = secrets.server(id);
    if (serverId != null && server.isEmpty()) {
      throw new UserError(serverElement + " names settings.xml server '" + serverId + "', which does not exist."
          + " Fix: add <server><id>" + serverId + "</id><username>...</username><password>...</password></server>"
          + " to ~/.m2/settings.xml (encrypt the password with mvn --encrypt-password).");
    }
    return server.filter(c -> c.username() != null && c.password() != null)
        .map(c -> new Login("settings.xml server '" + id + "'", c.username(), c.password()));
  }

  /** jib-core's credential retrievers for {@code ref}, tried in order when settings.xml has no login. */
  static List<CredentialRetriever> retrievers(ImageReference ref, String credHelper, Map<String, String> environment,
      BuildLog log) {
    CredentialRetrieverFactory f = CredentialRetrieverFactory.forImage(ref, e -> log.debug(e.getMessage()),
        environment);
    if (credHelper == null) {
      return List.of(f.dockerConfig(), f.wellKnownCredentialHelpers());
    }
    CredentialRetriever helper = credHelper.contains("/") ? f.dockerCredentialHelper(Path.of(credHelper))
        : f.dockerCredentialHelper(credHelper.startsWith("docker-credential-") ? credHelper
            : "docker-credential-" + credHelper);
    return List.of(helper, f.dockerConfig(), f.wellKnownCredentialHelpers());
  }
}
