package io.github.devplugin.config;

import static io.github.devplugin.config.ConfigFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ConfigKeysTest {

  /** A configuration with one entry of every keyed list, so that the loader reads the keys of their entries too. */
  private static ConfigFixtures everything() {
    return config()
        .section("service", s -> s.leaf("port", "8080")
            .child("ports", p -> p.child("port", e -> e.leaf("number", "9090").leaf("name", "metrics")))
            .child("env", e -> e.leaf("LOG_LEVEL", "info"))
            .child("volumes", v -> v.child("volume", e -> e.leaf("name", "data").leaf("mountPath", "/data")))
            .child("ingress", i -> i.leaf("host", "orders.example.com")))
        .section("image", i -> i.child("labels", l -> l.leaf("team", "orders")))
        .section("cache", c -> c.leaf("enabled", "true"))
        .section("kubernetes", k -> k.leaf("redisUrl", "redis://redis:6379")
            .child("networkPolicy", n -> n
                .child("extraIngress", r -> r.child("rule", e -> e.leaf("name", "monitoring")
                    .leaf("namespace", "monitoring").leaf("port", "9090")))
                .child("extraEgress", r -> r.child("rule", e -> e.leaf("name", "db").leaf("cidr", "10.0.0.0/8")))))
        .section("compose", c -> c.leaf("appPort", "18080")
            .child("variables", v -> v.child("variable", e -> e.leaf("name", "REGION").leaf("value", "eu"))))
        .section("secrets", s -> s.child("secret", e -> e.leaf("name", "API_TOKEN").leaf("env", "CI_API_TOKEN")));
  }

  @Test
  void everyDeclaredKeyIsReadByTheLoaderAndEveryReadKeyIsDeclared() {
    Set<String> read = everything().keysRead("dev");
    Set<String> declared = ConfigKeys.all().stream().map(ConfigKeys.Key::path)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(declared).as("declared keys the loader never reads").containsExactlyInAnyOrderElementsOf(read);
    assertThat(read).hasSizeGreaterThan(150);
  }

  @Test
  void readingAnUndeclaredKeyOrReadingAKeyAsAnotherTypeFails() {
    Section service = new Section(new Section.Context("dev"), ".service", "<service>", List.of());
    assertThatThrownBy(() -> service.string("colour", null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("service.colour is read but not declared in ConfigKeys");
    assertThatThrownBy(() -> service.string("ports", null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("service.ports is declared as ENTRIES");
    assertThatThrownBy(() -> service.list("jvmFlags", "flag", List.of())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read as LIST (flag, null)");
  }

  @Test
  void unknownElementsAreThoseTheDeclarationsLackWithTheDeclaredNamesAsTheFix() {
    assertThatThrownBy(() -> config().section("service", s -> s.leaf("replica", "2")).load("dev"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("<service><replica>")
        .hasMessageContaining("Did you mean <replicas>?")
        .hasMessageContaining("<autoscaling>, <env>, <framework>, <healthPath>, <ingress>, <jvmFlags>");
    assertThatThrownBy(() -> config().section("service", s -> s.leaf("ingress", "x")).load("dev"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("write its elements inside it: <className>, <enabled>, <host>, <path>, <tlsSecret>");
  }

  @Test
  void elementsNameTheEntryItems() {
    assertThat(ConfigKeys.find("service.ports[].number").orElseThrow().element())
        .isEqualTo("<service><ports><port><number>");
    assertThat(ConfigKeys.find("kubernetes.networkPolicy.extraEgress[].cidr").orElseThrow().element())
        .isEqualTo("<kubernetes><networkPolicy><extraEgress><rule><cidr>");
    assertThat(ConfigKeys.find("image.allowMutableTags").orElseThrow().environmentBehaviour())
        .isEqualTo("false in prod; an overlay overrides it");
  }

  @Test
  void everyOverridePropertyBelongsToADeclaredKey() {
    assertThat(OverrideProperties.all().keySet()).allSatisfy(path ->
        assertThat(ConfigKeys.find(path)).as(path).isPresent());
  }

  @Test
  void theHelpTextListsEveryKeyOfTheGoalsSectionsWithItsProperty() {
    List<String> all = ConfigReference.text(ConfigReference.sectionsOf(null));
    for (ConfigKeys.Key k : ConfigKeys.all()) {
      assertThat(all).as(k.path()).anyMatch(l -> l.startsWith("  " + k.element() + " ("));
    }
    assertThat(all).contains("  <service><framework> (one of auto, spring-boot, quarkus, micronaut, plain)",
        "  <image><tags> (list of <tag>)", "  <service><ports> (<port> entries by <number>)");
    assertThat(all).contains("    Property: -Ddevplugin.image.to", "    Property: -Ddevplugin.db.url");
    List<String> image = ConfigReference.text(ConfigReference.sectionsOf("image"));
    assertThat(image).contains("  <image><to> (text)", "  <service><port> (whole number)")
        .noneMatch(l -> l.startsWith("  <kubernetes>"));
  }

  @Test
  void theSitePageIsWellFormedWithOneRowPerKey() throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(ConfigReference.xdoc().getBytes(StandardCharsets.UTF_8)));
    NodeList rows = doc.getElementsByTagName("tr");
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < rows.getLength(); i++) {
      String id = ((Element) rows.item(i)).getAttribute("id");
      if (!id.isEmpty()) {
        assertThat(ids.add(id)).as("duplicate row " + id).isTrue();
      }
    }
    Set<String> expected = ConfigKeys.all().stream().filter(k -> !ConfigLoader.SECTIONS.contains(k.path()))
        .map(ConfigReference::anchor).collect(Collectors.toCollection(TreeSet::new));
    assertThat(ids).isEqualTo(expected);
    assertThat(ConfigReference.xdoc()).contains("<code>-Ddevplugin.k8s.outputDirectory</code>")
        .contains("&lt;service&gt;&lt;env&gt;").isEqualTo(ConfigReference.xdoc());
  }
}
