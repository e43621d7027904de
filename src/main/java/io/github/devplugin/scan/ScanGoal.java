package io.github.devplugin.scan;

import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.OverrideProperties;
import io.github.devplugin.config.ScanSettings;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.BuildLog;
import io.github.devplugin.core.Fingerprint;
import io.github.devplugin.core.Network;
import io.github.devplugin.core.Outputs;
import io.github.devplugin.core.Problem;
import io.github.devplugin.core.ProblemsException;
import io.github.devplugin.core.UserError;
import io.github.devplugin.image.ImageRecord;
import io.github.devplugin.image.ImageSbom;
import io.github.devplugin.sbom.ImageFiles;
import io.github.devplugin.sbom.Inventory;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code scan} goal without Maven: reads the image that {@code image} recorded in {@code image.json} (from the
 * registry or the tar; never rebuilt), inventories it, matches it against the offline OSV database, runs the secret
 * scan over every layer and the config, writes {@code target/devplugin/scan.json} and {@code scan.sarif}, prints the
 * table and fails on findings at or above {@code <failOn>} that the allow-list does not allow, on expired allow-list
 * entries and on any secret.
 */
public final class ScanGoal {
  private ScanGoal() {}

  /** {@code target/devplugin/scan.json}. */
  public static Path jsonFile(Path devpluginDirectory) {
    return devpluginDirectory.resolve("scan.json");
  }

  /** {@code target/devplugin/scan.sarif}. */
  public static Path sarifFile(Path devpluginDirectory) {
    return devpluginDirectory.resolve("scan.sarif");
  }

  /**
   * @param mavenOrder Maven's version order ({@code ComparableVersion}), from the front-end
   * @param today the day allow-list expiry dates are checked against
   * @param environment the process environment (Docker config and credential helpers of the registry)
   * @param network offline mode and the proxies that carry a pushed image's read-back
   */
  public static ScanReport run(EffectiveConfig config, Secrets secrets, BuildLog log, Comparator<String> mavenOrder,
      LocalDate today, java.util.Map<String, String> environment, Network network) {
    ScanSettings s = config.image().scan();
    Path dir = config.project().devpluginDirectory();
    Path basedir = config.project().basedir();
    Severity failOn = Severity.parse(s.failOn());
    ImageRecord record = ImageRecord.read(ImageRecord.file(dir)).orElseThrow(() -> new UserError("devplugin:scan"
        + " found no " + basedir.relativize(ImageRecord.file(dir)) + ": it scans the image that devplugin:image"
        + " built. Fix: run devplugin:image first (mvn verify runs image at package and scan at verify when both"
        + " are bound)."));
    if (!record.isFor(config.environment())) {
      throw new UserError("image.json holds the image built for environment '" + record.environment() + "', not '"
          + config.environment() + "'. Fix: run devplugin:image with -Ddevplugin.env=" + config.environment()
          + " before devplugin:scan.");
    }
    OsvDatabase db = null;
    if (s.database() != null) {
      db = OsvDatabase.load(basedir.resolve(s.database()), OverrideProperties.element("image.scan.database")
          + s.database() + "</database>");
      log.info("Vulnerability database " + s.database() + ": " + db.size() + " OSV records.");
    } else {
      log.warn("No vulnerability database is configured (" + OverrideProperties.setting("image.scan.database")
          + "): devplugin:scan checks no vulnerabilities and runs the secret scan only. See devplugin:scan in"
          + " Goals in depth (the plugin site's goals.html) for the offline OSV export.");
    }
    AllowList allow = AllowList.none();
    Path allowFile = basedir.resolve(s.allowList() != null ? s.allowList() : ScanSettings.DEFAULT_ALLOW_LIST);
    if (s.allowList() != null && !Files.isRegularFile(allowFile)) {
      throw new UserError("The allow-list " + s.allowList() + " (" + OverrideProperties.setting(
          "image.scan.allowList") + ") does not exist. Fix: create it ('<id> <YYYY-MM-DD> <reason>' per line) or"
          + " remove the setting.");
    }
    if (Files.isRegularFile(allowFile)) {
      allow = AllowList.read(allowFile, basedir.relativize(allowFile).toString(), today);
    }

    Inventory.Collector collector = new Inventory.Collector();
    SecretScanner secretScanner = new SecretScanner();
    if (network.offline() && "registry".equals(record.target())) {
      throw new UserError("Maven runs offline (-o, or <offline>true</offline> in settings.xml), and devplugin:scan"
          + " reads the image " + record.reference() + " from its registry. Fix: scan without -o, or build a tar"
          + " (" + OverrideProperties.setting("image.target", "tar") + ") and scan that offline.");
    }
    if ("registry".equals(record.target())) {
      // before the registry client's first request: the JDK reads this once, and scan may run without image
      network.allowProxyLoginsOnTunnels().ifPresent(log::warn);
    }
    // a pushed image is read back through the settings.xml proxies, as the image goal pushed it
    String digest = network.withProxySystemProperties(() -> {
      try (ImageFiles image = open(config, record, secrets, environment, log)) {
        image.walk((layer, layerDigest, path, size, content) -> {
          boolean read = size <= (1 << 20) || path.endsWith(".jar");
          byte[] bytes = read ? content.readAllBytes() : new byte[0];
          collector.file(layer, layerDigest, path, size, new ByteArrayInputStream(bytes));
          if (read) {
            secretScanner.file(layer, layerDigest, path, size, new ByteArrayInputStream(bytes));
          }
        });
        secretScanner.config(image.config());
        return image.digest();
      }
    });
    Inventory inventory = collector.result();
    inventory.notes().forEach(log::warn);
    List<ScanReport.Vulnerability> vulns = new ArrayList<>();
    if (db != null) {
      for (Matcher.Finding f : new Matcher(mavenOrder).match(inventory, db)) {
        AllowList.Entry entry = allow.allows(f.advisory());
        vulns.add(new ScanReport.Vulnerability(f, entry, entry == null && f.advisory().severity().compareTo(failOn)
            >= 0));
      }
    }
    ScanReport report = new ScanReport(record.reference(), digest, db != null, db == null ? 0 : db.size(), failOn,
        vulns, secretScanner.findings());
    Outputs.writeIfChanged(jsonFile(dir), report.json());
    Outputs.writeIfChanged(sarifFile(dir), report.sarif(Fingerprint.pluginVersion()));
    log.info("Scanned " + record.reference() + ": " + inventory.jars().size() + " jars, " + inventory.packages().size()
        + " OS packages, " + (db == null ? "no vulnerability database" : vulns.size() + " vulnerabilities") + ", "
        + report.secrets().size() + " secrets. Reports: " + basedir.relativize(jsonFile(dir)) + ", "
        + basedir.relativize(sarifFile(dir)) + ".");
    if (!vulns.isEmpty()) {
      report.table().forEach(log::info);
    }
    List<Problem> problems = new ArrayList<>();
    for (ScanReport.Vulnerability v : report.failing()) {
      Matcher.Finding f = v.finding();
      problems.add(new Problem(f.packageName() + " " + f.installed() + " (" + f.location() + ")", "affected by "
          + f.advisory().id() + (f.advisory().aliases().isEmpty() ? "" : " (" + String.join(", ",
          f.advisory().aliases()) + ")") + ", severity " + f.advisory().severity() + (f.fixedIn() == null
          ? ", no fixed version known." : ", fixed in " + f.fixedIn() + "."), (f.fixedIn() == null ? "" : "upgrade to "
          + f.fixedIn() + " or later, or ") + "allow it with a line '" + f.advisory().id() + " <YYYY-MM-DD>"
          + " <reason>' in " + basedir.relativize(allowFile) + "."));
    }
    for (SecretScanner.Finding f : report.secrets()) {
      problems.add(new Problem(f.location() + " " + f.path() + (f.line() > 0 ? " line " + f.line() : ""),
          "holds a secret (rule " + f.rule() + ").", f.location().equals("image config") ? "pass secrets at run"
          + " time (<secrets>), not as image environment or labels." : "remove the file from the image (check "
          + OverrideProperties.element("image.extraDirectories") + " and the resources) and rotate the secret."));
    }
    if (!problems.isEmpty()) {
      throw new ProblemsException("devplugin:scan failed the image " + record.reference() + " (threshold "
          + failOn + ", " + OverrideProperties.setting("image.scan.failOn") + ")", problems, "Reports: "
          + basedir.relativize(jsonFile(dir)) + ", " + basedir.relativize(sarifFile(dir)) + ".");
    }
    return report;
  }

  private static ImageFiles open(EffectiveConfig config, ImageRecord record, Secrets secrets,
      java.util.Map<String, String> environment, BuildLog log) {
    return switch (record.target()) {
      case "registry" -> ImageFiles.fromRegistry(ImageSbom.client(record.image(), config.image(), secrets,
          environment, log), record.digest());
      case "tar" -> ImageFiles.fromTar(Path.of(record.tarFile()));
      default -> throw new UserError("devplugin:scan reads the image from a registry or a tar; the engine target"
          + " keeps it only in the engine. Fix: scan a pushed image or a tar ("
          + OverrideProperties.setting("image.target", "tar") + ").");
    };
  }

}
