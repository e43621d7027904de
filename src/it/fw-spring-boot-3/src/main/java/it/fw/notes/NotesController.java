package it.fw.notes;

import java.util.Map;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Writes a note to PostgreSQL and its text to Redis, and returns both as read back. */
@RestController
public class NotesController {
  private final JdbcTemplate jdbc;
  private final StringRedisTemplate redis;

  public NotesController(JdbcTemplate jdbc, StringRedisTemplate redis) {
    this.jdbc = jdbc;
    this.redis = redis;
  }

  @PostMapping("/notes/{key}")
  public Map<String, String> save(@PathVariable String key, @RequestBody String text) {
    jdbc.update("INSERT INTO note (key, text) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET text = EXCLUDED.text",
        key, text);
    redis.opsForValue().set("note:" + key, text);
    String stored = jdbc.queryForObject("SELECT text FROM note WHERE key = ?", String.class, key);
    String cached = redis.opsForValue().get("note:" + key);
    return Map.of("key", key, "database", stored, "redis", cached);
  }
}
