package io.github.devplugin.example;

import java.net.URI;
import java.util.Map;

/** The service's configuration, read once from environment variables. */
record Settings(int port, String databaseUrl, String databaseUser, String databasePassword, URI redis) {

  static Settings fromEnvironment(Map<String, String> env) {
    int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
    String url = blankToNull(env.get("DATABASE_URL"));
    String redis = blankToNull(env.get("REDIS_URL"));
    URI redisUri = redis == null ? null : URI.create(redis);
    if (redisUri != null && !"redis".equals(redisUri.getScheme())) {
      throw new IllegalArgumentException("REDIS_URL must look like redis://host:6379, not " + redis);
    }
    return new Settings(port, url, env.get("DATABASE_USER"), env.get("DATABASE_PASSWORD"), redisUri);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
