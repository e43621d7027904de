package io.github.devplugin.compose.up;

import io.github.devplugin.core.EnvironmentError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Free host ports for {@code <compose><randomPorts>}: the generated compose files publish every host port through a
 * variable listed in {@code .env.example} ({@link EnvExample#portVariables}); each gets a port
 * the operating system reports free on 127.0.0.1, all distinct. The ports in use are read back from the engine after
 * the stack started.
 */
public final class PortAllocator {
  private PortAllocator() {}

  /** A distinct free port for each variable. */
  public static Map<String, String> allocate(List<String> variables) {
    Map<String, String> out = new LinkedHashMap<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (String v : variables) {
        // held open until all are chosen, so that the operating system gives distinct ports
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        out.put(v, Integer.toString(s.getLocalPort()));
      }
    } catch (IOException e) {
      throw new EnvironmentError("Cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listening socket that was never used
        }
      }
    }
    return out;
  }
}
