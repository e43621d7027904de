package io.github.devplugin.image;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A registry of the test's own (Debian's docker-registry on a free loopback port, storage in a temporary directory),
 * so that a test can count exactly which blobs a build uploaded.
 */
final class OwnRegistry implements AutoCloseable {
  final String address;
  final Path storage;
  private final Process process;

  OwnRegistry(Path dir) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of("/usr/bin/docker-registry"))) {
      throw new IllegalStateException("/usr/bin/docker-registry is missing: run scripts/test-env.sh up (it installs"
          + " the docker-registry package).");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    address = "127.0.0.1:" + port;
    storage = dir.resolve("storage");
    Path config = dir.resolve("config.yml");
    Files.writeString(config, "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: "
        + storage + "\nhttp:\n  addr: " + address + "\n");
    process = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + address + "/v2/").openConnection();
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("the test's own registry did not start on " + address + "; see "
        + dir.resolve("registry.log"));
  }

  /** The digests of the blobs stored (layers and configs; the registry may keep manifests there too). */
  java.util.Set<String> blobs() throws IOException {
    Path blobs = storage.resolve("docker/registry/v2/blobs/sha256");
    if (!Files.isDirectory(blobs)) {
      return java.util.Set.of();
    }
    try (Stream<Path> walk = Files.walk(blobs, 2)) {
      return walk.filter(p -> p.getNameCount() - blobs.getNameCount() == 2)
          .map(p -> "sha256:" + p.getFileName()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
