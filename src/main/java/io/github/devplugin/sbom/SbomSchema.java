package io.github.devplugin.sbom;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * The CycloneDX 1.6 JSON schema as cyclonedx-core-java bundles it ({@code bom-1.6.schema.json} with the
 * {@code spdx} and {@code jsf} schemas it references), validated offline with json-schema-validator 3.x: the
 * library's own validator needs json-schema-validator 2.x on Jackson 2, which cannot share the class path with 3.x.
 */
public final class SbomSchema {
  private static final String ID_PREFIX = "http://cyclonedx.org/schema/";
  private static volatile Schema schema;

  private SbomSchema() {}

  /** The schema's findings for a CycloneDX 1.6 JSON document, each {@code location: message}; empty when valid. */
  public static List<String> validate(String json) {
    return load().validate(json, InputFormat.JSON).stream().map(SbomSchema::describe).toList();
  }

  private static String describe(Error e) {
    return e.getInstanceLocation() + ": " + e.getMessage();
  }

  private static Schema load() {
    Schema s = schema;
    if (s == null) {
      synchronized (SbomSchema.class) {
        s = schema;
        if (s == null) {
          SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
              b -> b.schemaIdResolvers(r -> r.mapPrefix(ID_PREFIX, "classpath:")));
          s = registry.getSchema(SchemaLocation.of(ID_PREFIX + "bom-1.6.schema.json"));
          schema = s;
        }
      }
    }
    return s;
  }
}
