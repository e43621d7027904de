package it.fw.notes;

import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Writes a note to PostgreSQL and its text to Redis, and returns both as read back. */
@Path("/notes")
public class NotesResource {
  private final AgroalDataSource dataSource;
  private final ValueCommands<String, String> values;

  public NotesResource(AgroalDataSource dataSource, RedisDataSource redis) {
    this.dataSource = dataSource;
    this.values = redis.value(String.class);
  }

  @POST
  @Path("/{key}")
  @Produces(MediaType.TEXT_PLAIN)
  public String save(@PathParam("key") String key, String text) throws SQLException {
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
    values.set("note:" + key, text);
    return "database=" + stored + " redis=" + values.get("note:" + key);
  }
}
