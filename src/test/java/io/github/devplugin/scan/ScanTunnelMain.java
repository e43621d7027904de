package io.github.devplugin.scan;

import io.github.devplugin.core.Network;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs {@code scan} alone in a JVM of its own (as {@code mvn devplugin:scan} does), on a project whose
 * {@code image.json} names an HTTPS registry, through a settings.xml proxy with a login: nothing but the goal itself
 * prepares the JDK for the proxy's login on the tunnel. Arguments: project directory, proxy port, proxy user, proxy
 * password. Prints the outcome on one line.
 */
public final class ScanTunnelMain {
  public static void main(String[] args) {
    Network network = new Network(false, List.of(new Network.Proxy("corp", "https", "127.0.0.1",
        Integer.parseInt(args[1]), null, args[2], args[3])));
    try {
      ScanGoalTest.scan(Path.of(args[0]), "", new RecordingLog(), network, "");
      System.out.println("SCANNED");
    } catch (RuntimeException e) {
      System.out.println("FAILED " + e.getMessage());
    }
  }
}
