package io.github.devplugin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConfigCache}: the second goal of one build reuses the configuration the first loaded, unless anything the
 * loader reads differs: the plugin's configuration, an override, the environment, or a file it looked at.
 */
class ConfigCacheTest {
  @TempDir
  Path dir;

  private final ConfigCache cache = new ConfigCache();
  private final List<Boolean> reused = new ArrayList<>();

  private ProjectInfo project() {
    return ConfigFixtures.config().basedir(dir).project();
  }

  private static Map<String, ConfigNode> base(String name, String replicas) {
    Map<String, ConfigNode> base = new LinkedHashMap<>();
    base.put("service", ConfigNode.builder("service", "<service>").leaf("name", name).leaf("replicas", replicas)
        .build());
    base.put("database", ConfigNode.builder("database", "<database>").leaf("enabled", "false").build());
    return base;
  }

  private Configuration load(Map<String, ConfigNode> base, List<ConfigLoader.Override> overrides, String env) {
    return cache.loadAll(project(), base, null, overrides, env, List.of(), reused::add);
  }

  @Test
  void theSameInputsGiveTheLoadedConfigurationAgain() {
    Configuration first = load(base("orders", "2"), List.of(), null);
    Configuration second = load(base("orders", "2"), List.of(), null);
    assertThat(second).isSameAs(first);
    assertThat(reused).containsExactly(false, true);
    assertThat(second.selected().service().replicas()).isEqualTo(2);
  }

  @Test
  void anyOtherConfigurationOverrideOrEnvironmentLoadsAgain() {
    Configuration first = load(base("orders", "2"), List.of(), null);
    assertThat(load(base("orders", "3"), List.of(), null).selected().service().replicas()).isEqualTo(3);
    assertThat(load(base("billing", "2"), List.of(), null).selected().service().name()).isEqualTo("billing");
    ConfigLoader.Override to = new ConfigLoader.Override("image.to", "r.example.com/x", "-Ddevplugin.image.to");
    assertThat(load(base("orders", "2"), List.of(to), null).selected().image().to()).startsWith("r.example.com/x");
    ConfigLoader.Override other = new ConfigLoader.Override("image.to", "r.example.com/x", "plugin parameter <imageTo>");
    assertThat(load(base("orders", "2"), List.of(other), null)).isNotSameAs(first);
    Map<String, ConfigNode> attributed = base("orders", "2");
    attributed.put("database", ConfigNode.builder("database", "<database>").attribute("combine.self", "override")
        .leaf("enabled", "false").build());
    assertThat(load(attributed, List.of(), null)).isNotSameAs(first);
    assertThat(reused).containsExactly(false, false, false, false, false, false);
    assertThat(load(base("orders", "2"), List.of(), null)).isSameAs(first);
  }

  @Test
  void aChangedFileTheLoaderReadLoadsAgain() throws Exception {
    Path props = dir.resolve("src/main/resources/application.properties");
    Configuration absent = load(base("orders", "2"), List.of(), null);
    Files.createDirectories(props.getParent());
    Files.writeString(props, "server.port=8081\n");
    Files.setLastModifiedTime(props, FileTime.fromMillis(1_700_000_000_000L));
    Configuration written = load(base("orders", "2"), List.of(), null);
    assertThat(written).isNotSameAs(absent);
    assertThat(load(base("orders", "2"), List.of(), null)).isSameAs(written);
    Files.writeString(props, "server.port=8082\n"); // same size, another time
    Configuration changed = load(base("orders", "2"), List.of(), null);
    assertThat(changed).isNotSameAs(written);
    // the migrations directory decides whether a database is on by default
    Files.createDirectories(dir.resolve("src/main/resources/db/migration"));
    assertThat(load(base("orders", "2"), List.of(), null)).isNotSameAs(changed);
    assertThat(reused).containsExactly(false, false, true, false, false);
  }

  @Test
  void theLoaderNamesEveryFileItLooksAt() {
    Map<Path, String> files = new java.util.TreeMap<>();
    ConfigLoader.recording(files, project(), base("orders", "2"), null, List.of(), null, List.of());
    assertThat(files).containsOnlyKeys(dir.resolve("src/main/resources/application.properties"),
        dir.resolve("src/main/resources/db/migration"));
    assertThat(files.values()).containsOnly("absent");
  }

  @Test
  void aFailedLoadIsNotKept() {
    Map<String, ConfigNode> bad = base("orders", "-1");
    assertThatThrownBy(() -> load(bad, List.of(), null)).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> load(bad, List.of(), null)).isInstanceOf(ConfigException.class);
    assertThat(reused).isEmpty();
  }
}
