package io.github.devplugin.example;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** The two Redis commands the service needs (PING, INCR), over the RESP protocol. */
final class RedisClient implements Closeable {
  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  private RedisClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
  }

  static RedisClient connect(URI uri) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2000);
    s.setSoTimeout(2000);
    return new RedisClient(s);
  }

  boolean ping() throws IOException {
    return "+PONG".equals(command("PING"));
  }

  long incr(String key) throws IOException {
    String reply = command("INCR", key);
    if (!reply.startsWith(":")) {
      throw new IOException("unexpected reply to INCR: " + reply);
    }
    return Long.parseLong(reply.substring(1));
  }

  private String command(String... parts) throws IOException {
    StringBuilder sb = new StringBuilder("*").append(parts.length).append("\r\n");
    for (String p : parts) {
      sb.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    String line = in.readLine();
    if (line == null) {
      throw new IOException("Redis closed the connection");
    }
    return line;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
