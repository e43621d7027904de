package io.github.devplugin.config;

/**
 * The {@code <compose>} element.
 *
 * @param postgresImage PostgreSQL image of the local environment
 * @param redisImage Redis image of the local environment
 * @param outputDirectory where {@code docker-compose.yml} and its companions are written
 */
public record ComposeSettings(String postgresImage, String redisImage, String outputDirectory) {

  public static final String DEFAULT_POSTGRES_IMAGE = "postgres:16-alpine";
  public static final String DEFAULT_REDIS_IMAGE = "redis:7-alpine";

  static ComposeSettings from(Section s, ProjectInfo project) {
    String postgres = s.string("postgresImage", DEFAULT_POSTGRES_IMAGE);
    String redis = s.string("redisImage", DEFAULT_REDIS_IMAGE);
    String out = s.string("outputDirectory", project.devpluginDirectory().resolve("compose").toString());
    return new ComposeSettings(postgres, redis, out);
  }
}
