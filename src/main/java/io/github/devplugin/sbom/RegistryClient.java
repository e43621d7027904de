package io.github.devplugin.sbom;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
   * The one HTTP client of every registry client (thread-safe; no state of a registry), built on a client's first
   * request, not when a client is made: building it loads the JDK's HTTP client and its TLS context (the trusted
   * certificates), which {@code ImageSbom}'s preparation does on its own thread while jib builds.
   */
  private static final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Builds the HTTP client (its classes, its TLS context) ahead of the first call. */
  public static void initialise() {
    Http.CLIENT.version();
  }

  /** A manifest (or index) with its media type. */
  public record Manifest(String mediaType, byte[] body) {}

  public Manifest manifest(String reference) {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/manifests/" + reference)).header("Accept",
        MANIFEST_TYPES).GET(), HttpResponse.BodyHandlers.ofByteArray(), "pull");
    expect(r, 200, "read the manifest " + reference);
    return new Manifest(r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  /** True when the manifest exists. */
  public boolean hasManifest(String reference) {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/manifests/" + reference)).header("Accept",
        MANIFEST_TYPES + ",application/vnd.oci.artifact.manifest.v1+json").method("HEAD",
        HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofByteArray(), "pull");
    return r.statusCode() == 200;
  }

  public InputStream blob(String digest) {
    HttpResponse<InputStream> r = send(HttpRequest.newBuilder(uri("/blobs/" + digest)).GET(),
        HttpResponse.BodyHandlers.ofInputStream(), "pull");
    if (r.statusCode() != 200) {
      try (InputStream in = r.body()) {
        throw failure(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8), "read the blob "
            + digest);
      } catch (IOException e) {
        throw new EnvironmentError("Cannot read the blob " + digest + " from " + registry + ": " + e.getMessage(), e);
      }
    }
    return r.body();
  }

  /** Uploads a blob (monolithic upload) unless the registry has it. */
  public void pushBlob(String digest, byte[] content) {
    HttpResponse<byte[]> head = send(HttpRequest.newBuilder(uri("/blobs/" + digest)).method("HEAD",
        HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofByteArray(), "pull,push");
    if (head.statusCode() == 200) {
      return;
    }
    HttpResponse<byte[]> start = send(HttpRequest.newBuilder(uri("/blobs/uploads/")).POST(
        HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofByteArray(), "pull,push");
    expect(start, 202, "start uploading " + digest);
    String location = start.headers().firstValue("Location").orElseThrow(() -> new EnvironmentError("The registry "
        + registry + " started an upload without a Location header."));
    URI upload = uri("/blobs/uploads/").resolve(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    HttpResponse<byte[]> put = send(HttpRequest.newBuilder(URI.create(upload + sep + "digest="
        + URLEncoder.encode(digest, StandardCharsets.UTF_8))).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), HttpResponse.BodyHandlers.ofByteArray(), "pull,push");
    expect(put, 201, "upload " + digest);
  }

  /** Pushes a manifest under a tag (or its digest). */
  public void pushManifest(String reference, String mediaType, byte[] body) {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/manifests/" + reference)).header("Content-Type",
        mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofByteArray(),
        "pull,push");
    expect(r, 201, "push the manifest " + reference);
  }

  private URI uri(String path) {
    return URI.create(scheme + "://" + registry + "/v2/" + repository + path);
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler, String actions) {
    try {
      request.timeout(Duration.ofMinutes(5));
      if (authorization != null) {
        request.setHeader("Authorization", authorization);
      }
      String proxyLogin = proxyAuthorization(request.build().uri());
      if (proxyLogin != null) {
        request.setHeader("Proxy-Authorization", proxyLogin);
      }
      HttpResponse<T> r = Http.CLIENT.send(request.build(), handler);
      if (r.statusCode() == 401) {
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (r.body() instanceof InputStream in) {
          in.close();
        }
        authorization = authorize(challenge, actions);
        request.setHeader("Authorization", authorization);
        r = Http.CLIENT.send(request.build(), handler);
      }
      return r;
    } catch (IOException e) {
      throw new EnvironmentError("Cannot reach the registry " + registry + " (" + scheme + "): " + e.getMessage()
          + ". Check that it is running and reachable.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentError("Interrupted while talking to the registry " + registry + ".", e);
    }
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

  private String authorize(String challenge, String actions) throws IOException, InterruptedException {
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
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (basic != null) {
      b.header("Authorization", basic);
    }
    String proxyLogin = proxyAuthorization(URI.create(url));
    if (proxyLogin != null) {
      b.header("Proxy-Authorization", proxyLogin);
    }
    HttpResponse<String> r = Http.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new UserError("The token service of " + registry + " refused " + scope + " (HTTP " + r.statusCode()
          + "). Fix: check the credentials of the settings.xml <server> for " + registry + ".");
    }
    var json = io.github.devplugin.core.Json.read(r.body());
    var token = json.has("token") ? json.get("token") : json.get("access_token");
    if (token == null) {
      throw new EnvironmentError("The token service of " + registry + " answered without a token.");
    }
    return "Bearer " + token.asString();
  }

  private void expect(HttpResponse<byte[]> r, int status, String what) {
    if (r.statusCode() != status && !(status == 201 && r.statusCode() == 200)) {
      throw failure(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), what);
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
