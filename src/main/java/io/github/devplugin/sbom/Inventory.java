package io.github.devplugin.sbom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What an image holds, read from its layers: every jar (path, SHA-256, Maven coordinates from its
 * {@code META-INF/maven/.../pom.properties}), the OS packages of the base (Debian's dpkg database, both
 * {@code /var/lib/dpkg/status} and distroless {@code /var/lib/dpkg/status.d/*}; Alpine's
 * {@code /lib/apk/db/installed}), the operating system ({@code /etc/os-release}) and the Java runtime (its
 * {@code release} file, as JDK images and jlink images have). An rpm database is detected and reported as not read.
 * A later layer's file replaces an earlier one at the same path.
 */
public record Inventory(List<Jar> jars, List<OsPackage> packages, OperatingSystem os, List<Runtime> runtimes,
    List<String> notes) {

  /** A jar in the image; {@code groupId} null when the jar carries no Maven metadata. */
  public record Jar(String path, String sha256, String groupId, String artifactId, String version) {
    public String purl() {
      return groupId == null ? null : "pkg:maven/" + groupId + "/" + artifactId + "@" + version + "?type=jar";
    }
  }

  /**
   * An OS package.
   *
   * @param type {@code deb} or {@code apk}
   * @param source the source package (Debian advisories name it), or the package's own name
   */
  public record OsPackage(String type, String name, String version, String architecture, String source,
      String sourceVersion) {}

  /** The base's operating system ({@code ID}, {@code VERSION_ID}, {@code VERSION_CODENAME} of os-release). */
  public record OperatingSystem(String id, String versionId, String codename, String prettyName) {}

  /** A Java runtime found by its {@code release} file. */
  public record Runtime(String home, String implementor, String version, String runtimeVersion) {}

  /** The purl of an OS package, with the distribution qualifier when known. */
  public String purl(OsPackage p) {
    String ns = p.type().equals("apk") ? "alpine" : os != null && os.id() != null ? os.id() : "debian";
    StringBuilder sb = new StringBuilder("pkg:").append(p.type()).append('/').append(ns).append('/')
        .append(enc(p.name())).append('@').append(enc(p.version()));
    String sep = "?";
    if (p.architecture() != null) {
      sb.append(sep).append("arch=").append(enc(p.architecture()));
      sep = "&";
    }
    if (os != null && os.versionId() != null) {
      sb.append(sep).append("distro=").append(enc(os.id() + "-" + os.versionId()));
    }
    return sb.toString();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%2B").replace("%3A", ":").replace("%7E", "~");
  }

  /** Reads the inventory of an image, every layer from its bytes. */
  public static Inventory of(ImageFiles image) {
    Collector c = new Collector();
    image.walk(c);
    return c.result();
  }

  /**
   * Reads the inventory of an image, each layer from {@code cache} when it holds the layer's digest (no byte of it
   * is fetched then), else from its bytes, stored in the cache afterwards. The result is the same as
   * {@link #of(ImageFiles)}: a layer's files are kept per layer and laid over the earlier layers' in layer order.
   */
  public static Inventory of(ImageFiles image, LayerInventoryCache cache) {
    Collector all = new Collector();
    for (int i = 0; i < image.layers().size(); i++) {
      all.add(layer(image, i, cache));
    }
    return all.result();
  }

  /**
   * Reads every layer of {@code image} that {@code cache} does not hold into it (ahead of {@link #of(ImageFiles,
   * LayerInventoryCache)} for an image whose layers a later image shares, e.g. a base image while the build runs).
   */
  public static void cacheLayers(ImageFiles image, LayerInventoryCache cache) {
    for (int i = 0; i < image.layers().size(); i++) {
      layer(image, i, cache);
    }
  }

  private static LayerFiles layer(ImageFiles image, int index, LayerInventoryCache cache) {
    String digest = image.layers().get(index).digest();
    LayerFiles files = cache.read(digest).orElse(null);
    if (files == null) {
      Collector one = new Collector();
      String read = image.walkLayer(index, one);
      files = one.files();
      cache.write(digest, read, files);
    }
    return files;
  }

  /**
   * What the {@link Collector} keeps of one layer (or of the layers so far): jars by path, dpkg databases, the apk
   * database and os-release texts, Java {@code release} files, rpm database paths. The unit of the layer cache.
   */
  public record LayerFiles(Map<String, Jar> jars, Map<String, String> dpkg, Map<String, String> texts,
      Map<String, String> releases, java.util.SortedSet<String> rpm) {
    public LayerFiles {
      jars = java.util.Collections.unmodifiableMap(new TreeMap<>(jars));
      dpkg = java.util.Collections.unmodifiableMap(new TreeMap<>(dpkg));
      texts = java.util.Collections.unmodifiableMap(new TreeMap<>(texts));
      releases = java.util.Collections.unmodifiableMap(new TreeMap<>(releases));
      rpm = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(rpm));
    }
  }

  /**
   * True when the inventory may read a file at {@code path} (a jar, a package database, an os-release, a
   * {@code release} file, an rpm database): a layer without such paths adds nothing to an image's inventory and hides
   * nothing of the layers below it (the {@link Collector} reads only these).
   */
  public static boolean readsPath(String path) {
    return path.endsWith(".jar") || path.startsWith("/var/lib/dpkg/status") || path.equals("/lib/apk/db/installed")
        || path.equals("/etc/os-release") || path.equals("/usr/lib/os-release") || path.endsWith("/release")
        || path.startsWith("/var/lib/rpm/") || path.startsWith("/usr/lib/sysimage/rpm/");
  }

  /** Collects the inventory while the layers are walked (one pass; the scan adds its own visitor next to it). */
  public static final class Collector implements ImageFiles.FileVisitor {
    private final Map<String, Jar> jars = new TreeMap<>();
    private final Map<String, String> dpkg = new TreeMap<>();
    private final Map<String, String> texts = new TreeMap<>();
    private final Map<String, String> releases = new TreeMap<>();
    private final TreeSet<String> rpm = new TreeSet<>();

    @Override
    public void file(int layer, String layerDigest, String path, long size, InputStream content) throws IOException {
      if (!readsPath(path)) {
        return;
      }
      if (path.endsWith(".jar")) {
        byte[] bytes = content.readAllBytes();
        jars.put(path, jar(path, bytes));
      } else if (path.equals("/var/lib/dpkg/status") || path.startsWith("/var/lib/dpkg/status.d/")
          && !path.endsWith(".md5sums")) {
        dpkg.put(path, new String(content.readAllBytes(), StandardCharsets.UTF_8));
      } else if (path.equals("/lib/apk/db/installed") || path.equals("/etc/os-release")
          || path.equals("/usr/lib/os-release")) {
        texts.put(path, new String(content.readAllBytes(), StandardCharsets.UTF_8));
      } else if (path.endsWith("/release") && size < 16384) {
        String text = new String(content.readAllBytes(), StandardCharsets.UTF_8);
        if (text.contains("JAVA_VERSION=")) {
          releases.put(path, text);
        }
      } else if (path.matches("/(var/lib/rpm|usr/lib/sysimage/rpm)/(rpmdb\\.sqlite|Packages|Packages\\.db)")) {
        rpm.add(path);
      }
    }

    /** What was collected so far. */
    public LayerFiles files() {
      return new LayerFiles(jars, dpkg, texts, releases, rpm);
    }

    /** Lays a later layer's files over what was collected: a file at the same path replaces the earlier one. */
    public void add(LayerFiles later) {
      jars.putAll(later.jars());
      dpkg.putAll(later.dpkg());
      texts.putAll(later.texts());
      releases.putAll(later.releases());
      rpm.addAll(later.rpm());
    }

    public Inventory result() {
      List<String> notes = new ArrayList<>();
      for (String r : rpm) {
        notes.add("An rpm database (" + r + ") is in the image; devplugin does not read rpm databases, so its"
            + " packages are not listed.");
      }
      Map<String, String> os = keyValues(texts.getOrDefault("/etc/os-release", texts.get("/usr/lib/os-release")));
      OperatingSystem system = os.isEmpty() ? null : new OperatingSystem(os.get("ID"), os.get("VERSION_ID"),
          os.get("VERSION_CODENAME"), os.get("PRETTY_NAME"));
      Map<String, OsPackage> packages = new TreeMap<>();
      for (String text : dpkg.values()) {
        for (String stanza : text.split("\\n\\s*\\n")) {
          Map<String, String> f = stanza(stanza);
          String name = f.get("Package");
          String version = f.get("Version");
          String status = f.get("Status");
          if (name == null || version == null || status != null && !status.endsWith(" installed")) {
            continue;
          }
          String source = name;
          String sourceVersion = version;
          String src = f.get("Source");
          if (src != null) {
            int paren = src.indexOf('(');
            source = (paren < 0 ? src : src.substring(0, paren)).strip();
            if (paren >= 0 && src.indexOf(')') > paren) {
              sourceVersion = src.substring(paren + 1, src.indexOf(')')).strip();
            }
          }
          OsPackage p = new OsPackage("deb", name, version, f.get("Architecture"), source, sourceVersion);
          packages.put("deb " + name + " " + p.architecture(), p);
        }
      }
      String apk = texts.get("/lib/apk/db/installed");
      if (apk != null) {
        for (String stanza : apk.split("\\n\\s*\\n")) {
          Map<String, String> f = new LinkedHashMap<>();
          for (String line : stanza.split("\\n")) {
            if (line.length() > 2 && line.charAt(1) == ':') {
              f.putIfAbsent(line.substring(0, 1), line.substring(2));
            }
          }
          if (f.containsKey("P") && f.containsKey("V")) {
            OsPackage p = new OsPackage("apk", f.get("P"), f.get("V"), f.get("A"), f.getOrDefault("o", f.get("P")),
                f.get("V"));
            packages.put("apk " + p.name(), p);
          }
        }
      }
      List<Runtime> runtimes = new ArrayList<>();
      releases.forEach((path, text) -> {
        Map<String, String> kv = keyValues(text);
        runtimes.add(new Runtime(path.substring(0, path.length() - "/release".length()), kv.get("IMPLEMENTOR"),
            kv.get("JAVA_VERSION"), kv.get("JAVA_RUNTIME_VERSION")));
      });
      List<OsPackage> sorted = new ArrayList<>(packages.values());
      sorted.sort(Comparator.comparing(OsPackage::type).thenComparing(OsPackage::name)
          .thenComparing(p -> String.valueOf(p.architecture())));
      return new Inventory(new ArrayList<>(jars.values()), sorted, system, runtimes, notes);
    }
  }

  static Jar jar(String path, byte[] bytes) throws IOException {
    String sha = HexFormat.of().formatHex(ImageFiles.sha256(bytes));
    String file = path.substring(path.lastIndexOf('/') + 1);
    List<Properties> poms = new ArrayList<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
          Properties p = new Properties();
          p.load(new java.io.InputStreamReader(zip, StandardCharsets.UTF_8));
          poms.add(p);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      return new Jar(path, sha, null, file.replaceAll("\\.jar$", ""), null);
    }
    Properties chosen = null;
    for (Properties p : poms) { // a shaded jar carries its parts' metadata too: take the one the file is named after
      String a = p.getProperty("artifactId");
      String v = p.getProperty("version");
      if (a != null && v != null && file.startsWith(a + "-" + v)) {
        chosen = p;
      }
    }
    if (chosen == null && poms.size() == 1) {
      chosen = poms.get(0);
    }
    if (chosen == null || chosen.getProperty("groupId") == null) {
      return new Jar(path, sha, null, file.replaceAll("\\.jar$", ""), null);
    }
    return new Jar(path, sha, chosen.getProperty("groupId").strip(), chosen.getProperty("artifactId").strip(),
        chosen.getProperty("version").strip());
  }

  private static Map<String, String> stanza(String text) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String line : text.split("\\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
        f.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return f;
  }

  static Map<String, String> keyValues(String text) {
    Map<String, String> kv = new TreeMap<>();
    if (text == null) {
      return kv;
    }
    for (String line : text.split("\\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        String v = line.substring(eq + 1).strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
          v = v.substring(1, v.length() - 1);
        }
        kv.put(line.substring(0, eq).strip(), v);
      }
    }
    return kv;
  }
}
