package io.github.devplugin.image;

import io.github.devplugin.config.ImageSettings;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A quick look at a registry before jib-core talks to it, so that an unreachable registry, or a plain-HTTP registry
 * that is not allowed to be one, fails in seconds with a message naming the registry and the setting, instead of
 * jib's retries (about a minute on an HTTP registry without {@code allowInsecureRegistries}).
 */
public final class RegistryCheck {
  /**
   * Connect timeout: long enough for a lost SYN to be sent again (after 1 s, then 3 s), short enough to fail long
   * before jib's own 20 s timeout and retries.
   */
  static final int CONNECT_MILLIS = 5000;
  /**
   * How long a registry that accepted the connection may take to send its first byte (the TLS handshake, or the
   * answer to a plain {@code GET /v2/}): a registry on a loaded build machine, or behind a slow network, may take
   * seconds; one that says nothing for this long is hung.
   */
  static final int ANSWER_MILLIS = 10_000;

  private RegistryCheck() {}

  /** True for registries on a loopback address ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}). */
  public static boolean isLoopback(String registry) {
    String host = host(registry);
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static String host(String registry) {
    if (registry.startsWith("[")) {
      return registry.substring(1, registry.indexOf(']'));
    }
    int colon = registry.lastIndexOf(':');
    return colon < 0 ? registry : registry.substring(0, colon);
  }

  static int port(String registry, int defaultPort) {
    int bracket = registry.lastIndexOf(']');
    int colon = registry.lastIndexOf(':');
    if (colon > bracket && colon > 0) {
      return Integer.parseInt(registry.substring(colon + 1));
    }
    return defaultPort;
  }

  /**
   * Checks that {@code registry} answers, and that it speaks HTTPS unless plain HTTP is allowed.
   *
   * @param role what the registry is for, e.g. "the target registry"
   * @param setting the element and property that name it, e.g. {@code <image><to>x</to> (-Ddevplugin.image.to=x)}
   * @return whether the registry was seen speaking plain HTTP on its explicit port ({@link #speaksPlainHttp})
   */
  public static boolean check(String registry, boolean insecureAllowed, String role, String setting) {
    return check(registry, insecureAllowed, role, setting, null);
  }

  /**
   * @param httpRefusedBecause why plain HTTP is not allowed when another setting decides it (named in the error
   *     instead of this registry's), or null
   * @return whether the registry was seen speaking plain HTTP on its explicit port ({@link #speaksPlainHttp})
   */
  public static boolean check(String registry, boolean insecureAllowed, String role, String setting,
      String httpRefusedBecause) {
    return check(registry, insecureAllowed, role, setting, httpRefusedBecause, ANSWER_MILLIS);
  }

  /**
   * @param answerMillis how long the registry may take to answer once connected
   * @return true when plain HTTP is allowed, the registry names its port, and its answer to a plain
   *     {@code GET /v2/} on that port was a registry's plain-HTTP answer ({@link #speaksPlainHttp}): jib-core need
   *     not try HTTPS there first
   */
  static boolean check(String registry, boolean insecureAllowed, String role, String setting,
      String httpRefusedBecause, int answerMillis) {
    String host = "registry-1.docker.io".equals(registry) || "docker.io".equals(registry) ? "registry-1.docker.io"
        : registry;
    int port = port(host, 443);
    String address = host(host) + ":" + port;
    IOException failure = connect(host(host), port);
    if (failure != null && insecureAllowed && port(host, -1) < 0) {
      failure = connect(host(host), 80);
      address = host(host) + ":443 or :80";
    }
    if (failure != null) {
      throw new EnvironmentError("Cannot reach " + role + " " + registry + " (" + address + "): " + describe(failure)
          + ". It is set by " + setting + ". Fix: start the registry or correct the address; without a"
          + " registry, build a tar with " + OverrideProperties.setting("image.target", "tar") + " (and a base that"
          + " needs no registry: " + OverrideProperties.setting("image.from", ImageSettings.JLINK) + ").");
    }
    String silent = "Cannot reach " + role + " " + registry + " (" + address + "): it accepts connections but did"
        + " not answer within " + seconds(answerMillis) + ". It is set by " + setting + ". Fix: check that the"
        + " address is a registry (the Docker Registry HTTP API answers GET /v2/) and that it is not hung; restart it"
        + " or correct the address.";
    if (insecureAllowed) {
      String answer = answer(host(host), port, answerMillis);
      if (answer == null) {
        throw new EnvironmentError(silent);
      }
      return port(host, -1) >= 0 && speaksPlainHttp(answer);
    }
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(host(host), port), CONNECT_MILLIS);
      raw.setSoTimeout(answerMillis);
      try (SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
          .createSocket(raw, host(host), port, false)) {
        tls.startHandshake();
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new EnvironmentError(silent, e);
    } catch (SSLException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("plaintext") || m.contains("Unsupported or unrecognized SSL message")) {
        String capital = role.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + role.substring(1);
        if (httpRefusedBecause != null) {
          throw new UserError(capital + " " + registry + " (" + setting + ") speaks plain HTTP, and plain HTTP is not"
              + " allowed: " + httpRefusedBecause);
        }
        throw new UserError(capital + " " + registry + " speaks plain HTTP, and plain HTTP is not allowed for it ("
            + setting + "). Fix: if that is intended, set " + OverrideProperties.setting("image.insecure", "true")
            + "; otherwise serve the registry over HTTPS.");
      }
      // certificate problems: jib reports them with their details
    } catch (IOException e) {
      // a handshake that fails otherwise is left to jib, which reports it with its details
    }
    return false;
  }

  /**
   * True when {@code answer}, the start of what a server sent back to a plain {@code GET /v2/}, is a registry's
   * plain-HTTP answer: an HTTP/1.1 status line other than 400 and the {@code Docker-Distribution-API-Version} header
   * that registries send on {@code /v2/}. An HTTPS server that answers plain text at all (Go's servers send
   * "HTTP/1.0 400 Bad Request ... Client sent an HTTP request to an HTTPS server") does not pass.
   */
  static boolean speaksPlainHttp(String answer) {
    int end = answer.indexOf("\r\n\r\n");
    if (end < 0 || !answer.startsWith("HTTP/1.1 ") || answer.startsWith("HTTP/1.1 400")) {
      return false;
    }
    for (String line : answer.substring(0, end).split("\r\n")) {
      if (line.regionMatches(true, 0, "Docker-Distribution-API-Version:", 0, 32)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What answers a plain {@code GET /v2/} within the timeout, null for silence: the head of the answer (up to its
   * blank line, at most 8 KiB), or "" for a closed connection or an error (a TLS server answers plain text with an
   * alert or by closing). Once the first byte came, the rest of the head gets the same timeout again.
   */
  private static String answer(String host, int port, int answerMillis) {
    StringBuilder head = new StringBuilder();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
      s.setSoTimeout(answerMillis);
      s.getOutputStream().write(("GET /v2/ HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      java.io.InputStream in = s.getInputStream();
      byte[] buffer = new byte[8192];
      for (int n; head.length() < buffer.length && head.indexOf("\r\n\r\n") < 0
          && (n = in.read(buffer, 0, buffer.length - head.length())) > 0; ) {
        head.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      return head.toString();
    } catch (java.net.SocketTimeoutException e) {
      return head.length() == 0 ? null : head.toString();
    } catch (IOException e) {
      return head.toString();
    }
  }

  private static IOException connect(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private static String seconds(int millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static String describe(IOException e) {
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    if (e instanceof java.net.SocketTimeoutException) {
      return "no connection within " + seconds(CONNECT_MILLIS);
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
