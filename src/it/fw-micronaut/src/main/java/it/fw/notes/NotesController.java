package it.fw.notes;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Writes a note to PostgreSQL and its text to Redis, and returns both as read back. */
@Controller("/notes")
public class NotesController {
  private final DataSource dataSource;
  private final StatefulRedisConnection<String, String> redis;

  public NotesController(DataSource dataSource, StatefulRedisConnection<String, String> redis) {
    this.dataSource = dataSource;
    this.redis = redis;
  }

  @Post(value = "/{key}", consumes = MediaType.TEXT_PLAIN)
  @Produces(MediaType.TEXT_PLAIN)
  public String save(String key, @Body String text) throws SQLException {
    String stored;
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO note (key, text) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET text = EXCLUDED.text")) {
        ps.setString(1, key);
        ps.setString(2, text);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT text FROM note WHERE key = ?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          stored = rs.getString(1);
        }
      }
    }
    redis.sync().set("note:" + key, text);
    return "database=" + stored + " redis=" + redis.sync().get("note:" + key);
  }
}
