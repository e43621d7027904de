package io.github.devplugin.config;

/**
 * The {@code <cache>} element: a Redis the service uses.
 *
 * @param enabled true when the service needs Redis
 */
public record CacheSettings(boolean enabled) {
  static CacheSettings from(Section s) {
    return new CacheSettings(s.bool("enabled", false));
  }
}
