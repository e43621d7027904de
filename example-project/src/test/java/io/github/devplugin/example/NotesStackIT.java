package io.github.devplugin.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs against the stack devplugin:up started (pre-integration-test): the service in its image, PostgreSQL and Redis,
 * reached through the addresses devplugin:up exported as failsafe system properties.
 */
class NotesStackIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String url() {
    String url = System.getProperty("devplugin.up.url");
    assertNotNull(url, "devplugin.up.url is not set: devplugin:up did not run before failsafe (see the pom's"
        + " integration-tests profile)");
    return url;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthReportsPostgresAndRedisUp() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url() + "/health")));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"status\":\"UP\",\"checks\":{\"postgres\":\"UP\",\"redis\":\"UP\"}}", r.body());
  }

  @Test
  void aNoteIsStoredInPostgresAndListed() throws Exception {
    String text = "note " + UUID.randomUUID();
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(url() + "/notes"))
        .POST(HttpRequest.BodyPublishers.ofString(text)));
    assertEquals(201, created.statusCode(), created.body());
    Matcher id = Pattern.compile("\\{\"id\":(\\d+)}").matcher(created.body());
    assertTrue(id.matches(), created.body());
    HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(url() + "/notes")));
    assertEquals(200, list.statusCode(), list.body());
    assertTrue(list.body().contains("{\"id\":" + id.group(1) + ",\"text\":\"" + text + "\"}"), list.body());
  }

  @Test
  void visitsAreCountedInRedis() throws Exception {
    long first = visits();
    long second = visits();
    assertEquals(first + 1, second);
  }

  @Test
  void theDatabaseIsPublishedForTests() {
    String jdbc = System.getProperty("devplugin.up.jdbcUrl");
    assertNotNull(jdbc, "devplugin.up.jdbcUrl");
    assertTrue(jdbc.matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/notes"), jdbc);
    assertEquals(System.getProperty("devplugin.up.postgres.port"), jdbc.replaceAll(".*:(\\d+)/notes", "$1"));
  }

  private static long visits() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url() + "/visits"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, r.statusCode(), r.body());
    return Long.parseLong(r.body().replaceAll("\\D", ""));
  }
}
