package io.github.devplugin.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP forward proxy run in the test's JVM on a free loopback port: CONNECT tunnels and absolute-URI requests,
 * Basic proxy authentication when a login is given (407 until the client sends it), and host names of its own
 * ({@code aliases}: a name only the proxy resolves proves the traffic went through it). It records the request line
 * of every request it carried (for a tunnel, its CONNECT) and sends plain-HTTP requests on in origin form.
 */
public final class RecordingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String expected;
  private final Map<String, String> aliases;
  /** {@code METHOD target} of every request carried (absolute URI, or {@code host:port} for CONNECT). */
  public final List<String> requests = new CopyOnWriteArrayList<>();
  /** {@code METHOD target} of requests refused with 407. */
  public final List<String> refused = new CopyOnWriteArrayList<>();

  /**
   * @param user null: no authentication
   * @param aliases host name -> address the proxy connects to instead
   */
  public RecordingProxy(String user, String password, Map<String, String> aliases) throws IOException {
    this.expected = user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.aliases = Map.copyOf(aliases);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "recording-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> serve(client), "recording-proxy-connection");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      Socket upstream = null;
      String head;
      // one request after the other on the client's connection (keep-alive), each checked, recorded and sent on in
      // origin form; a CONNECT turns the connection into a tunnel
      while ((head = readHead(in)) != null) {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        String method = requestLine[0];
        String target = requestLine[1];
        String auth = null;
        long length = 0;
        for (String line : lines) {
          String lower = line.toLowerCase(Locale.ROOT);
          if (lower.startsWith("proxy-authorization:")) {
            auth = line.substring(line.indexOf(':') + 1).strip();
          } else if (lower.startsWith("content-length:")) {
            length = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
          }
        }
        if (expected != null && !expected.equals(auth)) {
          refused.add(method + " " + target);
          client.getOutputStream().write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic"
              + " realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
          client.close();
          return;
        }
        requests.add(method + " " + target);
        if (method.equals("CONNECT")) {
          String host = target.substring(0, target.lastIndexOf(':'));
          int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
          Socket tunnel = new Socket(aliases.getOrDefault(host, host), port);
          client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
              .getBytes(StandardCharsets.UTF_8));
          pipe(in, tunnel.getOutputStream(), client, tunnel);
          pipe(tunnel.getInputStream(), client.getOutputStream(), client, tunnel);
          return;
        }
        URI uri = URI.create(target);
        if (upstream == null) {
          upstream = new Socket(aliases.getOrDefault(uri.getHost(), uri.getHost()),
              uri.getPort() < 0 ? 80 : uri.getPort());
          pipe(upstream.getInputStream(), client.getOutputStream(), client, upstream);
        }
        String origin = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        OutputStream out = upstream.getOutputStream();
        out.write((method + " " + origin + " " + requestLine[2] + head.substring(lines[0].length()))
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(in.readNBytes((int) length));
        out.flush();
      }
      closeQuietly(client);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        return head.toString();
      }
    }
    return null;
  }

  private static void pipe(InputStream from, OutputStream to, Socket a, Socket b) {
    Thread t = new Thread(() -> {
      try {
        from.transferTo(to);
      } catch (IOException ignored) {
        // the other side closed
      } finally {
        closeQuietly(a);
        closeQuietly(b);
      }
    }, "recording-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
