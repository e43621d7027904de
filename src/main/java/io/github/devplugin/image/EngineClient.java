package io.github.devplugin.image;

import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Docker Engine API, the two calls the engine target needs ({@code GET /_ping} and {@code POST /images/load}),
 * over a Unix socket or TCP. Podman's {@code podman system service} serves the same API. No docker CLI is needed.
 * (Java's HTTP client cannot speak over Unix sockets, hence this small HTTP/1.1 exchange.)
 */
public final class EngineClient {
  /** The default socket path of the Docker Engine. */
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  private final String host;
  private final String setting;

  /**
   * @param configured {@code <image><dockerHost>}, or null to use {@code DOCKER_HOST}, else the default socket
   */
  public EngineClient(String configured, Map<String, String> environment) {
    this(configured != null ? configured : present(environment.get("DOCKER_HOST")) ? environment.get("DOCKER_HOST")
        : DEFAULT_HOST, configured != null ? "<image><dockerHost>" : present(environment.get("DOCKER_HOST"))
        ? "the DOCKER_HOST environment variable"
        : "the default socket (set DOCKER_HOST or <image><dockerHost> for another)", true);
  }

  private EngineClient(String host, String setting, boolean check) {
    this.host = host;
    this.setting = setting;
    if (check && !host.startsWith("unix://") && !host.startsWith("tcp://")) {
      throw new UserError("The Docker Engine address '" + host + "' from " + setting + " is not supported. Fix: use"
          + " unix:///path/to/docker.sock or tcp://host:2375.");
    }
  }

  /**
   * The engine {@link EngineDiscovery} finds (configured, DOCKER_HOST, Docker context, CONTAINER_HOST, the
   * well-known Docker and Podman sockets), proven to answer {@code /_ping}.
   *
   * @throws io.github.devplugin.core.EnvironmentError listing everything tried when none answers
   */
  public static EngineClient discover(String configured, EngineDiscovery discovery) {
    EngineDiscovery.Found found = discovery.find(configured, host -> new EngineClient(host, "", false).answer());
    return new EngineClient(found.host(), found.source(), false);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  /** Where the address came from (for messages). */
  public String source() {
    return setting;
  }

  /** Null when the engine answers {@code /_ping} with 200, else why not (short). */
  String answer() {
    try (Connection c = open()) {
      OutputStream out = c.out();
      out.write("GET /_ping HTTP/1.1\r\nHost: docker\r\nUser-Agent: devplugin\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String text = new String(c.in().readAllBytes(), StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/1.") || text.length() < 12) {
        return "no HTTP answer";
      }
      int status = Integer.parseInt(text.substring(9, 12));
      return status == 200 ? null : "answered HTTP " + status + " to /_ping";
    } catch (IOException | RuntimeException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  /**
   * The engine at {@code host} ({@code unix://...} or {@code tcp://...}), found through {@code setting} (named in
   * messages).
   */
  public static EngineClient at(String host, String setting) {
    return new EngineClient(host, setting, false);
  }

  public String host() {
    return host;
  }

  /** One call of the engine's API without a request body, e.g. {@code GET /containers/json}. */
  public Response call(String method, String path) {
    return exchange(method, path, null, 0);
  }

  /** Fails with a clear message when the engine does not answer. */
  public void ping() {
    Response r = exchange("GET", "/_ping", null, 0);
    if (r.status != 200) {
      throw new EnvironmentError("The Docker Engine API at " + host + " (" + setting + ") answered " + r.status
          + " to /_ping: " + r.body);
    }
  }

  /** Loads a Docker-format image tar ({@code docker load}); returns the engine's report. */
  public String load(Path tar) {
    long size;
    try {
      size = Files.size(tar);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read " + tar + ": " + e.getMessage(), e);
    }
    Response r = exchange("POST", "/images/load?quiet=1", tar, size);
    if (r.status != 200 || r.body.contains("\"error\"")) {
      throw new EnvironmentError("The Docker Engine API at " + host + " refused the image (HTTP " + r.status + "): "
          + r.body.strip());
    }
    return r.body.strip();
  }

  /**
   * Saves an image of the engine as a Docker-format tar ({@code docker save}), e.g. to serve as a base image.
   *
   * @throws UserError when the engine has no such image
   */
  public void save(String image, Path out) {
    String path = "/images/" + java.net.URLEncoder.encode(image, StandardCharsets.UTF_8).replace("%2F", "/")
        .replace("%3A", ":") + "/get";
    try (Connection c = open()) {
      OutputStream o = c.out();
      o.write(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: devplugin\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      o.flush();
      InputStream in = new java.io.BufferedInputStream(c.in());
      String head = readHead(in);
      int status = Integer.parseInt(head.substring(9, 12));
      boolean chunked = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
      InputStream body = chunked ? new ChunkedInputStream(in) : in;
      if (status == 404) {
        throw new UserError("The engine at " + host + " (" + setting + ") has no image " + image + " (<image><from>"
            + " " + BaseImage.ENGINE_PREFIX + image + "). Fix: pull or build it there first, or name another base.");
      }
      if (status != 200) {
        throw new EnvironmentError("The Docker Engine API at " + host + " could not export " + image + " (HTTP "
            + status + "): " + new String(body.readAllBytes(), StandardCharsets.UTF_8).strip());
      }
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.copy(body, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot export " + image + " from the Docker Engine API at " + host + " (" + setting
          + "): " + e.getMessage() + ". Fix: start Docker or Podman's API (podman system service) and point"
          + " DOCKER_HOST or <image><dockerHost> at it.", e);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      b.append((char) c);
      if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
        return b.toString();
      }
    }
    throw new IOException("the engine closed the connection before answering");
  }

  /** HTTP/1.1 chunked transfer decoding over a binary stream. */
  private static final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (remaining == 0) {
        String line = line();
        if (line.isEmpty()) {
          line = line(); // the CRLF after the previous chunk
        }
        remaining = Long.parseLong(line.split(";")[0].trim(), 16);
        if (remaining == 0) {
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new IOException("the engine closed the connection in the middle of a chunk");
      }
      remaining -= n;
      return n;
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }
  }

  /** An answer of the engine's API: the HTTP status and the (de-chunked) body. */
  public record Response(int status, String body) {}

  private Response exchange(String method, String path, Path body, long length) {
    try (Connection c = open()) {
      OutputStream out = c.out();
      String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: devplugin\r\n"
          + "Connection: close\r\n" + (body == null ? "" : "Content-Type: application/x-tar\r\nContent-Length: "
              + length + "\r\n") + "\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        Files.copy(body, out);
      }
      out.flush();
      byte[] all = c.in().readAllBytes();
      String text = new String(all, StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.") || end < 0) {
        throw new EnvironmentError("The Docker Engine API at " + host + " (" + setting + ") gave no HTTP answer.");
      }
      int status = Integer.parseInt(text.substring(9, 12));
      String headers = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
      String payload = text.substring(end + 4);
      if (headers.contains("transfer-encoding: chunked")) {
        payload = dechunk(payload);
      }
      return new Response(status, payload);
    } catch (IOException e) {
      throw new EnvironmentError("Cannot reach the Docker Engine API at " + host + " (" + setting + "): "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ". Fix: start Docker, or"
          + " Podman's API (podman system service), and point DOCKER_HOST or <image><dockerHost> at its socket;"
          + " or build a tar with " + OverrideProperties.setting("image.target", "tar") + ".", e);
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < chunked.length()) {
      int eol = chunked.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      String sizeText = chunked.substring(i, eol).split(";")[0].trim();
      int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
      if (size == 0) {
        break;
      }
      int start = eol + 2;
      int stop = Math.min(chunked.length(), start + size);
      out.append(chunked, start, stop);
      i = stop + 2;
    }
    return out.toString();
  }

  private interface Connection extends AutoCloseable {
    InputStream in() throws IOException;

    OutputStream out() throws IOException;

    @Override
    void close() throws IOException;
  }

  private Connection open() throws IOException {
    if (host.startsWith("unix://")) {
      Path socket = Path.of(host.substring("unix://".length()));
      if (!Files.exists(socket)) {
        throw new IOException("there is no socket at " + socket);
      }
      SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      return new Connection() {
        @Override
        public InputStream in() {
          return Channels.newInputStream(ch);
        }

        @Override
        public OutputStream out() {
          return Channels.newOutputStream(ch);
        }

        @Override
        public void close() throws IOException {
          ch.close();
        }
      };
    }
    URI uri = URI.create(host.replace("tcp://", "http://"));
    Socket s = new Socket();
    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()), 3000);
    s.setSoTimeout(120_000);
    return new Connection() {
      @Override
      public InputStream in() throws IOException {
        return s.getInputStream();
      }

      @Override
      public OutputStream out() throws IOException {
        return s.getOutputStream();
      }

      @Override
      public void close() throws IOException {
        s.close();
      }
    };
  }
}
