package io.github.devplugin.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotesServiceTest {

  @Test
  void healthIsUpWhenNoDependencyIsConfigured() throws Exception {
    NotesService service = new NotesService(Settings.fromEnvironment(Map.of("PORT", "0")));
    service.start();
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("{\"status\":\"UP\",\"checks\":{\"postgres\":\"NOT_CONFIGURED\",\"redis\":\"NOT_CONFIGURED\"}}",
          r.body());
    } finally {
      service.stop();
    }
  }

  @Test
  void healthIsDownWhenRedisIsUnreachable() throws Exception {
    NotesService service = new NotesService(
        Settings.fromEnvironment(Map.of("PORT", "0", "REDIS_URL", "redis://127.0.0.1:1")));
    service.start();
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(503, r.statusCode());
      assertTrue(r.body().contains("\"redis\":\"DOWN\""), r.body());
    } finally {
      service.stop();
    }
  }

  @Test
  void rejectsAMalformedRedisUrl() {
    assertThrows(IllegalArgumentException.class,
        () -> Settings.fromEnvironment(Map.of("REDIS_URL", "http://example")));
  }
}
