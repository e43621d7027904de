package io.github.devplugin.core;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.cfg.DateTimeFeature;

/**
 * Deterministic JSON: map keys sorted, pretty-printed with a trailing newline, so identical inputs give byte-identical
 * files.
 */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  private Json() {}

  public static JsonMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value) + "\n";
    } catch (JacksonException e) {
      throw new IllegalStateException("Cannot serialise " + value.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  public static JsonNode read(String text) {
    return MAPPER.readTree(text);
  }
}
