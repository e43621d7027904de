package io.github.devplugin.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.Json;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-layer inventory cache gives the inventory that reading every layer gives, and never a wrong one. */
class LayerInventoryCacheTest {
  @TempDir
  Path dir;

  private final RecordingLog log = new RecordingLog();

  private static byte[] app(String version) throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("/app/libs/lib.jar", TestImages.jar("org.apache.commons", "commons-text", version));
    files.put("/app/libs/plain-" + version + ".jar", TestImages.text("not a zip"));
    files.put("/etc/os-release", TestImages.text("ID=alpine\nVERSION_ID=3.20." + version + "\n"));
    files.put("/usr/lib/jvm/release", TestImages.text("JAVA_VERSION=\"21." + version + "\"\n"));
    files.put("/var/lib/rpm/Packages", TestImages.text("rpm"));
    return TestImages.layer(files);
  }

  private Path image(String name, List<byte[]> layers) throws Exception {
    return TestImages.dockerTar(dir.resolve(name + ".tar"), "{\"config\":{}}", layers);
  }

  private static Inventory read(Path tar) {
    try (ImageFiles files = ImageFiles.fromTar(tar)) {
      return Inventory.of(files);
    }
  }

  private static Inventory read(Path tar, LayerInventoryCache cache) {
    try (ImageFiles files = ImageFiles.fromTar(tar)) {
      return Inventory.of(files, cache);
    }
  }

  private static String digest(byte[] layer) {
    return "sha256:" + HexFormat.of().formatHex(ImageFiles.sha256(layer));
  }

  @Test
  void aBaseCachedAheadLeavesOnlyTheImagesOwnLayersToReadAndGivesTheSameInventory() throws Exception {
    byte[] base = TestImages.debianBase();
    byte[] app = app("2.1");
    Path baseTar = image("base", List.of(base));
    Path imageTar = image("image", List.of(base, app));
    LayerInventoryCache cache = LayerInventoryCache.in(dir.resolve("cache"), log);
    try (ImageFiles files = ImageFiles.fromTar(baseTar)) {
      Inventory.cacheLayers(files, cache); // while the build runs: the base only
    }
    Path entries = LayerInventoryCache.directory(dir.resolve("cache"));
    assertThat(entries.resolve(digest(base).substring(7) + ".json")).isRegularFile();
    assertThat(entries.resolve(digest(app).substring(7) + ".json")).doesNotExist();
    // the image's base layer is read from the cache, not from its bytes: an image whose base layer has other bytes
    // under the base's digest gives the inventory of the real image
    Path impostor = TestImages.dockerTar(dir.resolve("impostor.tar"), "{\"config\":{}}", List.of(digest(base),
        digest(app)), List.of(TestImages.layer(Map.of()), app));
    assertThat(read(impostor, cache)).isEqualTo(read(imageTar)).isNotEqualTo(read(impostor));
    assertThat(entries.resolve(digest(app).substring(7) + ".json")).isRegularFile();
  }

  @Test
  void anEntryIsReadFromDiskOncePerCacheInstance() throws Exception {
    byte[] app = app("3.0");
    Path tar = image("once", List.of(app));
    LayerInventoryCache cache = LayerInventoryCache.in(dir.resolve("cache"), log);
    Inventory first = read(tar, cache);
    Path entry = LayerInventoryCache.directory(dir.resolve("cache")).resolve(digest(app).substring(7) + ".json");
    Files.delete(entry);
    // the instance that wrote it still knows it; a new instance reads the layer again and stores it again
    assertThat(cache.read(digest(app))).isPresent();
    assertThat(read(tar, cache)).isEqualTo(first);
    assertThat(entry).doesNotExist();
    assertThat(read(tar, LayerInventoryCache.in(dir.resolve("cache"), log))).isEqualTo(first);
    assertThat(entry).isRegularFile();
  }

  @Test
  void aMissReadsTheLayersAndStoresThemAHitReadsNoByteOfThem() throws Exception {
    byte[] base = TestImages.debianBase();
    byte[] app = app("1.9");
    Path tar = image("a", List.of(base, app));
    LayerInventoryCache cache = LayerInventoryCache.in(dir.resolve("cache"), log);
    Inventory uncached = read(tar);

    Inventory cold = read(tar, cache);
    assertThat(cold).isEqualTo(uncached);
    Path entries = LayerInventoryCache.directory(dir.resolve("cache"));
    assertThat(entries).isEqualTo(dir.resolve("cache/sbom-layers/v" + LayerInventoryCache.FORMAT));
    assertThat(entries.resolve(digest(base).substring(7) + ".json")).isRegularFile();
    assertThat(entries.resolve(digest(app).substring(7) + ".json")).isRegularFile();

    // the same digests over other bytes (an empty layer): only the cache can give the inventory now
    Path impostor = TestImages.dockerTar(dir.resolve("impostor.tar"), "{\"config\":{}}", List.of(digest(base),
        digest(app)), List.of(TestImages.layer(Map.of()), TestImages.layer(Map.of())));
    assertThat(read(impostor)).isNotEqualTo(uncached);
    assertThat(read(impostor, cache)).isEqualTo(uncached);
    assertThat(uncached.jars()).extracting(Inventory.Jar::path).contains("/app/libs/lib.jar");
    assertThat(uncached.packages()).isNotEmpty();
    assertThat(uncached.notes()).hasSize(1);
  }

  @Test
  void aLayerWhoseBytesDoNotHashToItsDigestIsNotStored() throws Exception {
    byte[] app = app("1.9");
    String claimed = "sha256:" + "ab".repeat(32);
    Path tar = TestImages.dockerTar(dir.resolve("lying.tar"), "{\"config\":{}}", List.of(claimed), List.of(app));
    LayerInventoryCache cache = LayerInventoryCache.in(dir.resolve("cache"), log);
    assertThat(read(tar, cache)).isEqualTo(read(tar));
    assertThat(cache.read(claimed)).isEmpty();
    assertThat(log.contains("not storing the layer " + claimed)).isTrue();
  }

  @Test
  void aCorruptTruncatedOrForeignEntryIsIgnoredAndRebuilt() throws Exception {
    byte[] app = app("1.9");
    Path tar = image("c", List.of(TestImages.debianBase(), app));
    LayerInventoryCache cache = LayerInventoryCache.in(dir.resolve("cache"), log);
    Inventory expected = read(tar);
    read(tar, cache);
    Path entry = cache.entry(digest(app));
    String whole = Files.readString(entry);
    assertThat(cache.read(digest(app))).isPresent();

    List<String> damaged = List.of(whole.substring(0, whole.length() / 2), "", "{\"format\":1}",
        whole.replace("\"format\" : " + LayerInventoryCache.FORMAT, "\"format\" : 999"),
        whole.replace(digest(app), "sha256:" + "cd".repeat(32)), whole.replace("\"jars\"", "\"jarz\""));
    for (String bad : damaged) {
      assertThat(bad).isNotEqualTo(whole);
      Files.writeString(entry, bad);
      RecordingLog debug = new RecordingLog();
      LayerInventoryCache c = LayerInventoryCache.in(dir.resolve("cache"), debug);
      assertThat(c.read(digest(app))).isEmpty();
      assertThat(debug.contains("ignoring the entry " + entry)).isTrue();
      assertThat(read(tar, c)).isEqualTo(expected);
      assertThat(Files.readString(entry)).isEqualTo(whole);
    }
  }

  @Test
  void twoWritersOfTheSameLayerLeaveOneWholeEntryAndReadersNeverSeeAPartOfIt() throws Exception {
    byte[] app = app("1.9");
    Path tar = image("w", List.of(app));
    Inventory.LayerFiles files;
    try (ImageFiles image = ImageFiles.fromTar(tar)) {
      Inventory.Collector c = new Inventory.Collector();
      image.walkLayer(0, c);
      files = c.files();
    }
    String digest = digest(app);
    Path root = dir.resolve("cache");
    CyclicBarrier start = new CyclicBarrier(3);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      threads.add(new Thread(() -> {
        try {
          LayerInventoryCache writer = LayerInventoryCache.in(root, log); // one per build, as two builds would
          start.await();
          for (int i = 0; i < 200; i++) {
            writer.write(digest, digest, files);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    threads.add(new Thread(() -> {
      try {
        LayerInventoryCache reader = LayerInventoryCache.in(root, log);
        start.await();
        for (int i = 0; i < 400; i++) {
          Optional<Inventory.LayerFiles> seen = reader.read(digest);
          if (seen.isPresent() && !seen.get().equals(files)) {
            failures.add(new AssertionError("a reader saw " + seen.get()));
          }
        }
      } catch (Throwable e) {
        failures.add(e);
      }
    }));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    assertThat(log.contains("ignoring the entry")).isFalse();
    assertThat(LayerInventoryCache.in(root, log).read(digest)).contains(files);
    try (Stream<Path> left = Files.list(LayerInventoryCache.directory(root))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(digest.substring(7) + ".json");
    }
  }

  @Test
  void aLaterLayersFileReplacesAnEarlierOnesWhetherEitherCameFromTheCache() throws Exception {
    byte[] base = TestImages.debianBase();
    byte[] old = app("1.9");
    byte[] newer = app("1.10");
    LayerInventoryCache cache = LayerInventoryCache.in(dir.resolve("cache"), log);
    // warm the cache with the base and the old layer only
    read(image("first", List.of(base, old)), cache);
    assertThat(cache.read(digest(newer))).isEmpty();

    Path upgraded = image("upgraded", List.of(base, old, newer));
    Inventory expected = read(upgraded);
    assertThat(read(upgraded, cache)).isEqualTo(expected);
    assertThat(expected.jars()).filteredOn(j -> j.path().equals("/app/libs/lib.jar")).singleElement()
        .extracting(Inventory.Jar::version).isEqualTo("1.10");
    assertThat(expected.os().versionId()).isEqualTo("3.20.1.10");
    assertThat(expected.runtimes()).filteredOn(r -> r.home().equals("/usr/lib/jvm")).singleElement()
        .extracting(Inventory.Runtime::version).isEqualTo("21.1.10");
    // both jars only one of the layers has are kept
    assertThat(expected.jars()).extracting(Inventory.Jar::path).contains("/app/libs/plain-1.9.jar",
        "/app/libs/plain-1.10.jar");

    // the other order, every layer now from the cache: the old layer's files win
    Path downgraded = image("downgraded", List.of(base, newer, old));
    Inventory other = read(downgraded);
    assertThat(read(downgraded, cache)).isEqualTo(other);
    assertThat(other.jars()).filteredOn(j -> j.path().equals("/app/libs/lib.jar")).singleElement()
        .extracting(Inventory.Jar::version).isEqualTo("1.9");
    assertThat(other.os().versionId()).isEqualTo("3.20.1.9");
  }

  @Test
  void anEntryKeepsJarsWithoutMavenMetadataAndTextsAsTheyWere() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("/opt/x/plain.jar", TestImages.text("not a zip"));
    files.put("/var/lib/dpkg/status", TestImages.text("Package: \u00e9t\u00e9\nStatus: install ok installed\n"
        + "Version: 1:2.0~b\u0000\"q\"\n"));
    byte[] layer = TestImages.layer(files);
    Path tar = image("t", List.of(layer));
    LayerInventoryCache cache = LayerInventoryCache.in(dir.resolve("cache"), log);
    Inventory expected = read(tar);
    read(tar, cache);
    Inventory.LayerFiles cached = LayerInventoryCache.in(dir.resolve("cache"), log).read(digest(layer))
        .orElseThrow();
    assertThat(cached.jars().get("/opt/x/plain.jar").groupId()).isNull();
    assertThat(cached.dpkg().get("/var/lib/dpkg/status")).contains("\u00e9t\u00e9", "\u0000\"q\"");
    assertThat(Json.read(Files.readString(cache.entry(digest(layer)))).get("format").asInt())
        .isEqualTo(LayerInventoryCache.FORMAT);
    assertThat(read(tar, cache)).isEqualTo(expected);
  }
}
