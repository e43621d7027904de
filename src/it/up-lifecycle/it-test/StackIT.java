package it.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Runs between devplugin:up and devplugin:down, against the address up exported. */
class StackIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theServiceWritesToItsOwnDatabase() throws Exception {
    String url = System.getProperty("devplugin.up.url");
    assertNotNull(url, "devplugin.up.url");
    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("{\"status\":\"UP\",\"checks\":{\"postgres\":\"UP\",\"redis\":\"UP\"}}", health.body());
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/notes"))
        .POST(HttpRequest.BodyPublishers.ofString("from " + url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    // a stack of its own: the first note of a new database
    assertEquals("{\"id\":1}", created.body());
  }

  @Test
  void failsWhenAsked() {
    assertEquals("false", System.getProperty("it.fail", "false"), "the test fails on request (-Dit.fail=true)");
  }
}
