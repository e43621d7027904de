package io.github.devplugin.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Deterministic YAML for Kubernetes objects: fabric8's model order for fields (apiVersion, kind, metadata, spec),
 * sorted map keys (labels, annotations, data), quotes only where YAML needs them, no document markers, so identical
 * objects give byte-identical files.
 */
public final class K8sYaml {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper TREE = Serialization.jsonMapper().rebuild()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
      .build();

  private K8sYaml() {}

  /** The object as a JSON tree, fields in model order, map keys sorted. */
  public static ObjectNode tree(KubernetesResource object) {
    return (ObjectNode) TREE.valueToTree(object);
  }

  /** One YAML document (no {@code ---} marker), ending with a newline. */
  public static String write(KubernetesResource object) {
    return write(tree(object));
  }

  public static String write(JsonNode tree) {
    String text = YAML.writeValueAsString(tree);
    return text.endsWith("\n") ? text : text + "\n";
  }

  /** JSON of an object, map keys sorted (for hashes). */
  public static String json(Object object) {
    return TREE.writeValueAsString(object);
  }

  /**
   * A typed object from a tree: the class is chosen by {@code apiVersion} and {@code kind}; unknown kinds become
   * {@link io.fabric8.kubernetes.api.model.GenericKubernetesResource}.
   *
   * @throws JacksonException when a field has the wrong type
   */
  public static HasMetadata typed(ObjectNode tree) {
    Object o = SERIALIZATION.unmarshal(tree.toString());
    if (!(o instanceof HasMetadata h)) {
      throw new IllegalArgumentException("is not a Kubernetes object with metadata");
    }
    return h;
  }

  /** A deep copy through the tree. */
  @SuppressWarnings("unchecked")
  public static <T extends HasMetadata> T copy(T object) {
    return (T) typed(tree(object));
  }

  /** The registered model class of an {@code apiVersion}/{@code kind}, or null for unknown kinds. */
  public static Class<? extends KubernetesResource> modelClass(String apiVersion, String kind) {
    return SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
  }

  /** A parsed YAML document and where it starts. */
  public record Document(JsonNode node, int line) {}

  /**
   * Every document of a YAML text (empty documents skipped).
   *
   * @throws JacksonException with a location when the text is not YAML
   */
  /** Every document of a multi-document YAML text as its typed model object, in order. */
  public static List<HasMetadata> typedDocuments(String text) {
    List<HasMetadata> out = new ArrayList<>();
    for (Document d : documents(text)) {
      out.add(typed((ObjectNode) d.node()));
    }
    return out;
  }

  public static List<Document> documents(String text) {
    List<Document> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        int line = it.currentLocation() == null ? 0 : it.currentLocation().getLineNr();
        JsonNode n = it.nextValue();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          out.add(new Document(n, line));
        }
      }
    }
    return out;
  }

  public static YAMLMapper yamlMapper() {
    return YAML;
  }
}
