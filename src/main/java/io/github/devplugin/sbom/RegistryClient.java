package io.github.devplugin.sbom;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;

/**
 * The few calls of the OCI distribution API that reading an image back and attaching its SBOM need: manifests and
 * blobs by digest, blob upload, manifest push. Handles anonymous access, Basic and Bearer-token challenges
 * (credentials from a settings.xml server), and plain HTTP where the image goal allows it (configured or loopback).
 */
public final class RegistryClient {
  /** What the client accepts for a manifest: OCI and Docker manifests and indexes. */
  public static final String MANIFEST_TYPES = "application/vnd.oci.image.index.v1+json,"
      + "application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.manifest.v1+json,"
      + "application/vnd.docker.distribution.manifest.v2+json";
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final String registry;
  private final String repository;
  private final String scheme;
  private final String username;
  private final String password;
  private String authorization;

  /**
   * @param insecure plain HTTP (as the image goal allowed it)
   * @param username null for anonymous access
   */
  public RegistryClient(String registry, String repository, boolean insecure, String username, String password) {
    this.registry = registry;
    this.repository = repository;
    this.scheme = insecure ? "http" : "https";
    this.username = username;
    this.password = password;
  }

  /**
   * Loads the HTTP transport's classes and the TLS context (the trusted certificates) ahead of the first call, which
   * {@code ImageSbom}'s preparation does on its own thread while jib builds. The transport is
   * {@link HttpURLConnection}: blocking sockets, no thread of its own (its keep-alive cache's timer sleeps in Java),
   * so nothing is left in native code once the requests are done. The JDK's {@code java.net.http.HttpClient} leaves
   * its selector thread in {@code epoll_wait} until the JVM exits, and on JDK 17 (no {@code close()}) HotSpot's exit
   * then waits ~300 ms for it.
   */
  public static void initialise() {
    HttpsURLConnection.getDefaultSSLSocketFactory();
    try {
      URI.create("http://127.0.0.1/").toURL().openConnection();
    } catch (IOException e) {
      throw new EnvironmentError("Cannot load Java's HTTP client: " + e.getMessage(), e);
    }
  }

  /** True when this client would send credentials over plain HTTP (it has some, and the registry is plain HTTP). */
  public boolean hasCredentialsOverPlainHttp() {
    return "http".equals(scheme) && username != null;
  }

  /** A manifest (or index) with its media type. */
  public record Manifest(String mediaType, byte[] body) {}

  public Manifest manifest(String reference) {
    Response r = send("GET", uri("/manifests/" + reference), Map.of("Accept", MANIFEST_TYPES), null, false, "pull");
    expect(r, 200, "read the manifest " + reference);
    String type = r.connection().getContentType();
    return new Manifest(type == null ? "" : type, r.body());
  }

  /** True when the manifest exists. */
  public boolean hasManifest(String reference) {
    Response r = send("HEAD", uri("/manifests/" + reference), Map.of("Accept", MANIFEST_TYPES
        + ",application/vnd.oci.artifact.manifest.v1+json"), null, false, "pull");
    return r.status() == 200;
  }

  /**
   * The digest the registry gives for a manifest (or index) reference, from a {@code HEAD}'s
   * {@code Docker-Content-Digest} header; empty when there is no such manifest or the registry sends no digest.
   */
  public Optional<String> manifestDigest(String reference) {
    Response r = send("HEAD", uri("/manifests/" + reference), Map.of("Accept", MANIFEST_TYPES), null, false, "pull");
    String digest = r.connection().getHeaderField("Docker-Content-Digest");
    return r.status() == 200 && digest != null && digest.startsWith("sha256:") ? Optional.of(digest)
        : Optional.empty();
  }

  public InputStream blob(String digest) {
    Response r = send("GET", uri("/blobs/" + digest), Map.of(), null, true, "pull");
    if (r.status() != 200) {
      try (InputStream in = r.stream()) {
        throw failure(r.status(), new String(in.readAllBytes(), StandardCharsets.UTF_8), "read the blob " + digest);
      } catch (IOException e) {
        throw new EnvironmentError("Cannot read the blob " + digest + " from " + registry + ": " + e.getMessage(), e);
      }
    }
    return r.stream();
  }

  /** Uploads a blob (monolithic upload) unless the registry has it. */
  public void pushBlob(String digest, byte[] content) {
    Response head = send("HEAD", uri("/blobs/" + digest), Map.of(), null, false, "pull,push");
    if (head.status() == 200) {
      return;
    }
    Response start = send("POST", uri("/blobs/uploads/"), Map.of(), new byte[0], false, "pull,push");
    expect(start, 202, "start uploading " + digest);
    String location = start.connection().getHeaderField("Location");
    if (location == null) {
      throw new EnvironmentError("The registry " + registry + " started an upload without a Location header.");
    }
    URI upload = uri("/blobs/uploads/").resolve(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    Response put = send("PUT", URI.create(upload + sep + "digest=" + URLEncoder.encode(digest,
        StandardCharsets.UTF_8)), Map.of("Content-Type", "application/octet-stream"), content, false, "pull,push");
    expect(put, 201, "upload " + digest);
  }

  /** Pushes a manifest under a tag (or its digest). */
  public void pushManifest(String reference, String mediaType, byte[] body) {
    Response r = send("PUT", uri("/manifests/" + reference), Map.of("Content-Type", mediaType), body, false,
        "pull,push");
    expect(r, 201, "push the manifest " + reference);
  }

  private URI uri(String path) {
    return URI.create(scheme + "://" + registry + "/v2/" + repository + path);
  }

  /**
   * One answer: its status, its connection (for headers) and its body, read whole ({@code body}) or left open for
   * the caller ({@code stream}, a blob).
   */
  private record Response(int status, HttpURLConnection connection, byte[] body, InputStream stream) {}

  /** A request to the registry, answering its 401 challenge once (Basic, or a Bearer token for {@code actions}). */
  private Response send(String method, URI uri, Map<String, String> headers, byte[] body, boolean stream,
      String actions) {
    try {
      Response r = exchange(method, uri, headers, body, stream, authorization, REQUEST_TIMEOUT);
      if (r.status() == 401) {
        String challenge = r.connection().getHeaderField("WWW-Authenticate");
        if (r.stream() != null) {
          r.stream().close();
        }
        authorization = authorize(challenge == null ? "" : challenge, actions);
        r = exchange(method, uri, headers, body, stream, authorization, REQUEST_TIMEOUT);
      }
      return r;
    } catch (IOException e) {
      throw new EnvironmentError("Cannot reach the registry " + registry + " (" + scheme + "): " + e.getMessage()
          + ". Check that it is running and reachable.", e);
    }
  }

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_REDIRECTS = 5;

  /**
   * Answers no server's challenge (the registry's 401 is this class's to answer, with the right scope), and a
   * proxy's only with the login of {@link #proxyAuthorization}: it keeps a default authenticator that someone else
   * installed out of the registry's requests.
   */
  private static final Authenticator PROXY_ONLY = new Authenticator() {
    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      if (getRequestorType() != RequestorType.PROXY) {
        return null;
      }
      // the scheme of the request the proxy carries (the requesting protocol is always "http" for a proxy)
      String scheme = getRequestingURL() != null ? getRequestingURL().getProtocol() : getRequestingProtocol();
      String user = System.getProperty(scheme + ".proxyUser");
      if (user == null || !getRequestingHost().equalsIgnoreCase(System.getProperty(scheme + ".proxyHost", ""))) {
        return null;
      }
      return new PasswordAuthentication(user, System.getProperty(scheme + ".proxyPassword", "").toCharArray());
    }
  };

  /**
   * One request, following a GET's or HEAD's redirects (at most 5, never from https to http, as the JDK's
   * {@code Redirect.NORMAL} did): a registry sends blobs from other hosts (object storage), which get neither the
   * registry's {@code Authorization} nor its query; a proxy's login is worked out for each host.
   */
  private static Response exchange(String method, URI uri, Map<String, String> headers, byte[] body, boolean stream,
      String login, Duration timeout) throws IOException {
    URI target = uri;
    String authorization = login;
    for (int redirects = 0; ; redirects++) {
      HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout((int) timeout.toMillis());
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setAuthenticator(PROXY_ONLY);
      c.setRequestMethod(method);
      headers.forEach(c::setRequestProperty);
      if (authorization != null) {
        c.setRequestProperty("Authorization", authorization);
      }
      String proxyLogin = proxyAuthorization(target);
      if (proxyLogin != null) {
        c.setRequestProperty("Proxy-Authorization", proxyLogin);
      }
      if (body != null) {
        // buffered, not streamed: a streamed request's 401 throws instead of answering with its challenge
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
      }
      int status = c.getResponseCode();
      String location = c.getHeaderField("Location");
      URI next = location == null ? null : target.resolve(location);
      if (REDIRECT.contains(status) && next != null && (method.equals("GET") || method.equals("HEAD"))
          && !("https".equalsIgnoreCase(target.getScheme()) && "http".equalsIgnoreCase(next.getScheme()))) {
        if (redirects == MAX_REDIRECTS) {
          throw new IOException("more than " + MAX_REDIRECTS + " redirects, the last to " + withoutQuery(next));
        }
        drain(c, status);
        if (!sameOrigin(target, next)) {
          authorization = null;
        }
        target = next;
        continue;
      }
      InputStream answer = status >= 400 ? c.getErrorStream() : c.getInputStream();
      InputStream in = answer == null ? InputStream.nullInputStream() : answer;
      if (stream) {
        return new Response(status, c, null, in);
      }
      try (in) {
        return new Response(status, c, in.readAllBytes(), null);
      }
    }
  }

  private static final java.util.Set<Integer> REDIRECT = java.util.Set.of(301, 302, 303, 307, 308);

  private static void drain(HttpURLConnection c, int status) throws IOException {
    try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** A redirect's target for a message: object storage puts signatures in the query. */
  private static String withoutQuery(URI u) {
    return u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath();
  }

  /**
   * The login of the proxy that Java's proxy selector picks for {@code uri}, as {@code Network.withProxySystemProperties}
   * sets it ({@code <scheme>.proxyHost}, {@code .proxyPort}, {@code .proxyUser}, {@code .proxyPassword}), as a
   * {@code Proxy-Authorization} value: the JDK client answers a proxy's 407 only through an authenticator, which would
   * also answer registries' own Basic challenges. Null when the request goes directly or the proxy has no login.
   */
  static String proxyAuthorization(URI uri) {
    String scheme = uri.getScheme();
    String user = System.getProperty(scheme + ".proxyUser");
    String host = System.getProperty(scheme + ".proxyHost");
    if (user == null || host == null) {
      return null;
    }
    for (java.net.Proxy p : java.net.ProxySelector.getDefault().select(uri)) {
      if (p.type() == java.net.Proxy.Type.HTTP && p.address() instanceof java.net.InetSocketAddress a
          && a.getHostString().equalsIgnoreCase(host)
          && String.valueOf(a.getPort()).equals(System.getProperty(scheme + ".proxyPort"))) {
        String password = System.getProperty(scheme + ".proxyPassword", "");
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    return null;
  }

  private String authorize(String challenge, String actions) throws IOException {
    String basic = username == null ? null : "Basic " + Base64.getEncoder().encodeToString((username + ":"
        + password).getBytes(StandardCharsets.UTF_8));
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      if (basic == null) {
        throw new UserError("The registry " + registry + " asks for credentials. Fix: add a settings.xml <server>"
            + " whose <id> is " + registry + " (or name it with <image><serverId>).");
      }
      return basic;
    }
    Map<String, String> p = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      p.put(m.group(1), m.group(2));
    }
    String realm = p.get("realm");
    if (realm == null) {
      throw new EnvironmentError("The registry " + registry + " answered 401 with an unknown challenge '"
          + challenge + "'.");
    }
    String scope = "repository:" + repository + ":" + actions;
    String url = realm + (realm.contains("?") ? "&" : "?") + (p.containsKey("service") ? "service="
        + URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8) + "&" : "") + "scope="
        + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    Response r = exchange("GET", URI.create(url), Map.of(), null, false, basic, TOKEN_TIMEOUT);
    if (r.status() != 200) {
      throw new UserError("The token service of " + registry + " refused " + scope + " (HTTP " + r.status()
          + "). Fix: check the credentials of the settings.xml <server> for " + registry + ".");
    }
    var json = io.github.devplugin.core.Json.read(new String(r.body(), StandardCharsets.UTF_8));
    var token = json.has("token") ? json.get("token") : json.get("access_token");
    if (token == null) {
      throw new EnvironmentError("The token service of " + registry + " answered without a token.");
    }
    return "Bearer " + token.asString();
  }

  private void expect(Response r, int status, String what) {
    if (r.status() != status && !(status == 201 && r.status() == 200)) {
      throw failure(r.status(), new String(r.body(), StandardCharsets.UTF_8), what);
    }
  }

  private RuntimeException failure(int status, String body, String what) {
    String text = body.length() > 300 ? body.substring(0, 300) + "..." : body;
    String msg = "The registry " + registry + " refused to " + what + " of " + repository + " (HTTP " + status + ": "
        + text.strip() + ")";
    if (status == 401 || status == 403) {
      return new UserError(msg + ". Fix: check the credentials of the settings.xml <server> for " + registry
          + " (<image><serverId>) and its permission on " + repository + ".");
    }
    return new EnvironmentError(msg + ".");
  }
}
