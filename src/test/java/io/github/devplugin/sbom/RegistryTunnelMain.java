package io.github.devplugin.sbom;

import io.github.devplugin.core.Network;
import java.util.List;

/**
 * Reads a manifest over HTTPS through a settings.xml proxy with a login, in a JVM of its own (as a Maven run is): the
 * JDK reads once per JVM whether Basic may answer a tunnel's 407 ({@link Network#allowBasicForProxyTunnels}).
 * Arguments: registry, repository, tag, proxy port, proxy user, proxy password. Prints the outcome on one line.
 */
public final class RegistryTunnelMain {
  public static void main(String[] args) {
    Network.allowBasicForProxyTunnels();
    Network network = new Network(false, List.of(new Network.Proxy("corp", "https", "127.0.0.1",
        Integer.parseInt(args[3]), null, args[4], args[5])));
    try {
      network.withProxySystemProperties(() -> new RegistryClient(args[0], args[1], false, null, null)
          .manifest(args[2]));
      System.out.println("READ");
    } catch (RuntimeException e) {
      System.out.println("FAILED " + e.getMessage());
    }
  }
}
