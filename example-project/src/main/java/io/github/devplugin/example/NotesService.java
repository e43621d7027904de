package io.github.devplugin.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * A small notes service: PostgreSQL holds the notes, Redis counts visits. Configured only through environment
 * variables (twelve-factor): PORT, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, REDIS_URL.
 *
 * <ul>
 *   <li>{@code GET /health}: readiness, 200 when every configured dependency answers, 503 otherwise, with the state
 *       of each ({@code UP}, {@code DOWN} or {@code NOT_CONFIGURED}) as JSON;</li>
 *   <li>{@code GET /health/live}: liveness, 200 while the process serves requests;</li>
 *   <li>{@code GET /notes}, {@code POST /notes} (body: the text): list and add notes;</li>
 *   <li>{@code POST /visits}: count a visit in Redis.</li>
 * </ul>
 */
public final class NotesService {
  private static final Logger LOG = Logger.getLogger(NotesService.class.getName());

  private final Settings settings;
  private final HttpServer server;

  NotesService(Settings settings) throws IOException {
    this.settings = settings;
    this.server = HttpServer.create(new InetSocketAddress(settings.port()), 64);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/health/live", ex -> respond(ex, 200, "{\"status\":\"UP\"}"));
    server.createContext("/health", this::health);
    server.createContext("/notes", this::notes);
    server.createContext("/visits", this::visits);
  }

  public static void main(String[] args) throws IOException {
    Settings settings = Settings.fromEnvironment(System.getenv());
    NotesService service = new NotesService(settings);
    service.start();
    Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "shutdown"));
  }

  void start() {
    server.start();
    LOG.info("notes service listening on port " + port() + " (database: "
        + (settings.databaseUrl() == null ? "not configured" : settings.databaseUrl()) + ", redis: "
        + (settings.redis() == null ? "not configured" : settings.redis()) + ")");
  }

  void stop() {
    LOG.info("stopping: draining requests");
    server.stop(5);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void health(HttpExchange ex) throws IOException {
    if (!ex.getRequestURI().getPath().equals("/health")) {
      respond(ex, 404, "{\"error\":\"not found\"}");
      return;
    }
    Map<String, String> checks = new LinkedHashMap<>();
    checks.put("postgres", settings.databaseUrl() == null ? "NOT_CONFIGURED" : checkDatabase());
    checks.put("redis", settings.redis() == null ? "NOT_CONFIGURED" : checkRedis());
    boolean up = !checks.containsValue("DOWN");
    StringBuilder json = new StringBuilder("{\"status\":\"").append(up ? "UP" : "DOWN").append("\",\"checks\":{");
    String sep = "";
    for (Map.Entry<String, String> c : checks.entrySet()) {
      json.append(sep).append('"').append(c.getKey()).append("\":\"").append(c.getValue()).append('"');
      sep = ",";
    }
    json.append("}}");
    respond(ex, up ? 200 : 503, json.toString());
  }

  private String checkDatabase() {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
      return rs.next() ? "UP" : "DOWN";
    } catch (SQLException e) {
      LOG.warning("database check failed: " + e.getMessage());
      return "DOWN";
    }
  }

  private String checkRedis() {
    try (RedisClient r = RedisClient.connect(settings.redis())) {
      return r.ping() ? "UP" : "DOWN";
    } catch (IOException e) {
      LOG.warning("redis check failed: " + e.getMessage());
      return "DOWN";
    }
  }

  private void notes(HttpExchange ex) throws IOException {
    if (settings.databaseUrl() == null) {
      respond(ex, 503, "{\"error\":\"DATABASE_URL is not set\"}");
      return;
    }
    try (Connection c = connect()) {
      if (ex.getRequestMethod().equals("POST")) {
        String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
        try (PreparedStatement ps = c.prepareStatement("insert into notes(text) values (?) returning id")) {
          ps.setString(1, text);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            respond(ex, 201, "{\"id\":" + rs.getLong(1) + "}");
          }
        }
        return;
      }
      StringBuilder json = new StringBuilder("[");
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id, text from notes order by id")) {
        String sep = "";
        while (rs.next()) {
          json.append(sep).append("{\"id\":").append(rs.getLong(1)).append(",\"text\":\"")
              .append(escape(rs.getString(2))).append("\"}");
          sep = ",";
        }
      }
      respond(ex, 200, json.append(']').toString());
    } catch (SQLException e) {
      respond(ex, 500, "{\"error\":\"" + escape(e.getMessage()) + "\"}");
    }
  }

  private void visits(HttpExchange ex) throws IOException {
    if (settings.redis() == null) {
      respond(ex, 503, "{\"error\":\"REDIS_URL is not set\"}");
      return;
    }
    try (RedisClient r = RedisClient.connect(settings.redis())) {
      respond(ex, 200, "{\"visits\":" + r.incr("notes:visits") + "}");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword());
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
