package io.github.devplugin.compose;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Compose YAML as Jackson writes it: block style, few quotes, but every string that a YAML 1.1 reader (PyYAML in
 * docker-compose 1.x and podman-compose) could take for something else is quoted: numbers, booleans such as
 * {@code no}, and anything with a colon, so that {@code "22:22"} never turns into the base-60 number 1342.
 */
final class ComposeYaml {
  private static final class Quoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || value.indexOf(':') >= 0 || value.indexOf('$') >= 0
          || (!value.isEmpty() && "0123456789+.".indexOf(value.charAt(0)) >= 0);
    }
  }

  private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
          .stringQuotingChecker(new Quoting())
          .build())
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
      .disable(YAMLWriteFeature.SPLIT_LINES)
      .build();

  private ComposeYaml() {}

  /** The YAML of a tree of maps, lists, strings and numbers, in the maps' own order. */
  static String write(Object tree) {
    return MAPPER.writeValueAsString(tree);
  }

  static JsonNode read(String yaml) {
    try {
      return MAPPER.readTree(yaml);
    } catch (JacksonException e) {
      throw new IllegalStateException("generated YAML does not parse: " + e.getOriginalMessage(), e);
    }
  }
}
