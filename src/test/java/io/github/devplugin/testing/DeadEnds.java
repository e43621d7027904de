package io.github.devplugin.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Servers that cannot be reached: a loopback port nothing listens on, and one that accepts but never answers. */
public final class DeadEnds {
  private DeadEnds() {}

  /** A loopback port that was free a moment ago: connecting to it is refused. */
  public static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A loopback server that accepts every connection and never sends a byte (a firewall black hole, a hung server). */
  public static final class Silent implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    /** The connections it accepted (and left open). */
    public final List<Socket> accepted = new CopyOnWriteArrayList<>();

    public Silent() throws IOException {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(server.accept());
          }
        } catch (IOException e) {
          // closed
        }
      }, "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    public int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
