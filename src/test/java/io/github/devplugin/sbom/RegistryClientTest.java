package io.github.devplugin.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SBOM's registry client against a registry and a token service run in the test (two loopback servers, so two
 * origins): the Bearer flow (challenge, token with Basic credentials or anonymous, scope per action), blobs redirected
 * to another origin without the registry's Authorization, the monolithic upload, the error messages, and no thread
 * of the client left in native code once its requests are done (HotSpot's exit waits ~300 ms for such a thread).
 */
class RegistryClientTest {
  private static final String BASIC_ALICE = "Basic YWxpY2U6czNjcmV0"; // alice:s3cret
  private HttpServer registry;
  private HttpServer other;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<String> uploaded = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String otherUrl = "http://127.0.0.1:" + other.getAddress().getPort();
    other.createContext("/token", x -> {
      log.add("token " + x.getRequestURI().getRawQuery() + " auth=" + x.getRequestHeaders().getFirst("Authorization"));
      String scope = x.getRequestURI().getQuery().contains("push") ? "push" : "pull";
      reply(x, 200, Map.of("Content-Type", "application/json"), "{\"token\":\"tok-" + scope + "\"}");
    });
    other.createContext("/storage/", x -> {
      log.add("storage " + x.getRequestURI() + " auth=" + x.getRequestHeaders().getFirst("Authorization"));
      reply(x, 200, Map.of(), "layer-bytes");
    });
    registry.createContext("/v2/", x -> {
      String auth = x.getRequestHeaders().getFirst("Authorization");
      String path = x.getRequestURI().getPath();
      log.add(x.getRequestMethod() + " " + path + " auth=" + auth);
      boolean push = !x.getRequestMethod().equals("GET") || path.contains("/uploads/");
      if (!("Bearer tok-" + (push ? "push" : "pull")).equals(auth) && !"Bearer tok-push".equals(auth)) {
        reply(x, 401, Map.of("WWW-Authenticate", "Bearer realm=\"" + otherUrl + "/token\",service=\"reg\""), "{}");
      } else if (path.equals("/v2/team/app/manifests/1.0")) {
        reply(x, 200, Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"), "{\"layers\":[]}");
      } else if (path.equals("/v2/team/app/manifests/gone")) {
        reply(x, 404, Map.of(), "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
      } else if (path.equals("/v2/team/app/manifests/secret")) {
        reply(x, 403, Map.of(), "denied");
      } else if (path.equals("/v2/team/app/blobs/sha256:aaa")) {
        reply(x, 307, Map.of("Location", otherUrl + "/storage/aaa?sig=xyz"), "");
      } else if (path.equals("/v2/team/app/blobs/sha256:new") && x.getRequestMethod().equals("HEAD")) {
        reply(x, 404, Map.of(), "");
      } else if (path.equals("/v2/team/app/blobs/uploads/") && x.getRequestMethod().equals("POST")) {
        reply(x, 202, Map.of("Location", "/v2/team/app/blobs/uploads/u1?state=s1"), "");
      } else if (path.equals("/v2/team/app/blobs/uploads/u1") && x.getRequestMethod().equals("PUT")) {
        uploaded.add(x.getRequestURI().getRawQuery() + " " + x.getRequestHeaders().getFirst("Content-Type") + " "
            + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        reply(x, 201, Map.of(), "");
      } else if (path.equals("/v2/team/app/manifests/sbom") && x.getRequestMethod().equals("PUT")) {
        uploaded.add("manifest " + x.getRequestHeaders().getFirst("Content-Type") + " "
            + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        reply(x, 201, Map.of(), "");
      } else {
        reply(x, 500, Map.of(), "unexpected " + x.getRequestMethod() + " " + path);
      }
    });
    other.start();
    registry.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
    other.stop(0);
  }

  private static void reply(HttpExchange x, int status, Map<String, String> headers, String body) throws IOException {
    x.getRequestBody().readAllBytes();
    headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    boolean none = b.length == 0 || x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(status, none ? -1 : b.length);
    if (!none) {
      x.getResponseBody().write(b);
    }
    x.close();
  }

  private RegistryClient client(String user, String password) {
    return new RegistryClient("127.0.0.1:" + registry.getAddress().getPort(), "team/app", true, user, password);
  }

  @Test
  void bearerTokenWithCredentialsThenABlobRedirectedToAnotherOriginWithoutTheRegistrysAuthorization()
      throws IOException {
    RegistryClient c = client("alice", "s3cret");

    RegistryClient.Manifest m = c.manifest("1.0");
    byte[] blob;
    try (InputStream in = c.blob("sha256:aaa")) {
      blob = in.readAllBytes();
    }

    assertThat(m.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"layers\":[]}");
    assertThat(new String(blob, StandardCharsets.UTF_8)).isEqualTo("layer-bytes");
    assertThat(log).containsExactly(
        "GET /v2/team/app/manifests/1.0 auth=null",
        "token service=reg&scope=repository%3Ateam%2Fapp%3Apull auth=" + BASIC_ALICE,
        "GET /v2/team/app/manifests/1.0 auth=Bearer tok-pull",
        "GET /v2/team/app/blobs/sha256:aaa auth=Bearer tok-pull",
        "storage /storage/aaa?sig=xyz auth=null");
  }

  @Test
  void anonymousTokenThenUploadAndManifestPush() {
    RegistryClient c = client(null, null);

    c.pushBlob("sha256:new", "sbom-json".getBytes(StandardCharsets.UTF_8));
    c.pushManifest("sbom", "application/vnd.oci.image.manifest.v1+json", "{\"m\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(log).containsExactly(
        "HEAD /v2/team/app/blobs/sha256:new auth=null",
        "token service=reg&scope=repository%3Ateam%2Fapp%3Apull%2Cpush auth=null",
        "HEAD /v2/team/app/blobs/sha256:new auth=Bearer tok-push",
        "POST /v2/team/app/blobs/uploads/ auth=Bearer tok-push",
        "PUT /v2/team/app/blobs/uploads/u1 auth=Bearer tok-push",
        "PUT /v2/team/app/manifests/sbom auth=Bearer tok-push");
    assertThat(uploaded).containsExactly(
        "state=s1&digest=sha256%3Anew application/octet-stream sbom-json",
        "manifest application/vnd.oci.image.manifest.v1+json {\"m\":1}");
  }

  @Test
  void refusalsNameTheRegistryTheRepositoryAndTheFix() {
    RegistryClient c = client("alice", "s3cret");
    String registryName = "127.0.0.1:" + registry.getAddress().getPort();

    assertThatThrownBy(() -> c.manifest("gone")).isInstanceOf(EnvironmentError.class).hasMessage("The registry "
        + registryName + " refused to read the manifest gone of team/app (HTTP 404:"
        + " {\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}).");
    assertThatThrownBy(() -> c.manifest("secret")).isInstanceOf(UserError.class).hasMessageContaining(
        "(HTTP 403: denied). Fix: check the credentials of the settings.xml <server> for " + registryName);
    registry.stop(0);
    assertThatThrownBy(() -> c.manifest("1.0")).isInstanceOf(EnvironmentError.class).hasMessageStartingWith(
        "Cannot reach the registry " + registryName + " (http): ").hasMessageEndingWith(
        ". Check that it is running and reachable.");
  }

  @Test
  void noThreadOfTheClientIsLeftInNativeCodeOnceItsRequestsAreDone() throws Exception {
    // in a JVM of its own: this one holds other tests' HTTP clients and their threads
    Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), RegistryExitMain.class.getName(),
        "127.0.0.1:" + registry.getAddress().getPort(), "alice", "s3cret").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).as("threads left in native code, then DONE").isEqualTo("DONE\n");
    assertThat(log).contains("PUT /v2/team/app/blobs/uploads/u1 auth=Bearer tok-push"); // the requests were made
  }
}
