package io.github.devplugin.sbom;

import io.github.devplugin.core.EnvironmentError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * Writes an image's {@link Inventory} as a CycloneDX 1.6 JSON SBOM with cyclonedx-core-java: the image (by digest) as
 * {@code metadata.component}, then the operating system, the Java runtimes, the OS packages and every jar (purl,
 * SHA-256, path in the image), each group sorted. The same inputs give the same bytes: the timestamp is the build's
 * output timestamp, the serial number a UUID derived from the document's content.
 */
public final class SbomWriter {
  /** The SBOM's media type (OCI artifact type of the attached SBOM). */
  public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";
  /** The property naming a component's file in the image. */
  public static final String PATH_PROPERTY = "devplugin:image:path";

  private SbomWriter() {}

  /** The image the SBOM describes. */
  public record Subject(String repository, String digest, List<String> tags) {}

  /**
   * @param timestamp the build's output timestamp ({@code project.build.outputTimestamp}), or the epoch
   * @param toolVersion devplugin's version
   */
  public static String write(Inventory inventory, Subject subject, Instant timestamp, String toolVersion) {
    Bom bom = new Bom();
    bom.setVersion(1);
    Metadata metadata = new Metadata();
    metadata.setTimestamp(Date.from(timestamp));
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setGroup("io.github.devplugin");
    tool.setName("devplugin-maven-plugin");
    tool.setVersion(toolVersion);
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));
    metadata.setToolChoice(tools);
    Component image = new Component();
    image.setType(Component.Type.CONTAINER);
    String name = subject.repository().substring(subject.repository().lastIndexOf('/') + 1);
    image.setName(subject.repository());
    image.setVersion(subject.digest());
    String purl = "pkg:oci/" + name + "@" + subject.digest().replace(":", "%3A") + "?repository_url="
        + subject.repository();
    image.setPurl(purl);
    image.setBomRef(purl);
    image.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, subject.digest().substring("sha256:".length()))));
    List<Property> imageProps = new ArrayList<>();
    for (String tag : subject.tags()) {
      imageProps.add(new Property("devplugin:image:tag", tag));
    }
    image.setProperties(imageProps.isEmpty() ? null : imageProps);
    metadata.setComponent(image);
    bom.setMetadata(metadata);

    List<Component> components = new ArrayList<>();
    if (inventory.os() != null && inventory.os().id() != null) {
      Component os = new Component();
      os.setType(Component.Type.OPERATING_SYSTEM);
      os.setName(inventory.os().id());
      os.setVersion(inventory.os().versionId());
      os.setBomRef("os:" + inventory.os().id() + "@" + inventory.os().versionId());
      os.setDescription(inventory.os().prettyName());
      components.add(os);
    }
    for (Inventory.Runtime r : inventory.runtimes()) {
      Component jre = new Component();
      jre.setType(Component.Type.PLATFORM);
      jre.setName(r.implementor() == null ? "java-runtime" : r.implementor() + " Java runtime");
      jre.setVersion(r.runtimeVersion() != null ? r.runtimeVersion() : r.version());
      jre.setBomRef("java-runtime:" + r.home());
      jre.setProperties(List.of(new Property(PATH_PROPERTY, r.home()),
          new Property("devplugin:java:version", String.valueOf(r.version()))));
      components.add(jre);
    }
    for (Inventory.OsPackage p : inventory.packages()) {
      Component c = new Component();
      c.setType(Component.Type.LIBRARY);
      c.setName(p.name());
      c.setVersion(p.version());
      String pp = inventory.purl(p);
      c.setPurl(pp);
      c.setBomRef(pp);
      if (!p.source().equals(p.name()) || !p.sourceVersion().equals(p.version())) {
        c.setProperties(List.of(new Property("devplugin:package:source", p.source() + "@" + p.sourceVersion())));
      }
      components.add(c);
    }
    for (Inventory.Jar j : inventory.jars()) {
      Component c = new Component();
      c.setType(Component.Type.LIBRARY);
      if (j.groupId() != null) {
        c.setGroup(j.groupId());
        c.setVersion(j.version());
        c.setPurl(j.purl());
      }
      c.setName(j.artifactId());
      c.setBomRef("file:" + j.path());
      c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, j.sha256())));
      c.setProperties(List.of(new Property(PATH_PROPERTY, j.path())));
      components.add(c);
    }
    bom.setComponents(components);
    try {
      bom.setSerialNumber("urn:uuid:00000000-0000-0000-0000-000000000000");
      String draft = generate(bom);
      byte[] hash = ImageFiles.sha256(draft.getBytes(StandardCharsets.UTF_8));
      bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(HexFormat.of().formatHex(hash).getBytes(
          StandardCharsets.US_ASCII)));
      return generate(bom) + "\n";
    } catch (GeneratorException e) {
      throw new EnvironmentError("Cannot write the CycloneDX SBOM: " + e.getMessage(), e);
    }
  }

  private static String generate(Bom bom) throws GeneratorException {
    return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString(true);
  }
}
