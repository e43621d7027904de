package io.github.devplugin.scan;

import io.github.devplugin.core.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scan's result and its three forms: a console table (package, installed, fixed in, id, severity), a JSON report
 * ({@code target/devplugin/scan.json}) and SARIF 2.1.0 ({@code target/devplugin/scan.sarif}, one rule per advisory
 * or secret rule). Sorted, without timestamps: the same image and database give the same files.
 */
public record ScanReport(String image, String digest, boolean databaseUsed, int records, Severity failOn,
    List<Vulnerability> vulnerabilities, List<SecretScanner.Finding> secrets) {

  /** A finding with its verdict. */
  public record Vulnerability(Matcher.Finding finding, AllowList.Entry allowedBy, boolean fails) {}

  /** The vulnerabilities that fail the gate (at or above the threshold, not allowed). */
  public List<Vulnerability> failing() {
    return vulnerabilities.stream().filter(Vulnerability::fails).toList();
  }

  /** The console table. */
  public List<String> table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"PACKAGE", "INSTALLED", "FIXED IN", "ID", "SEVERITY", ""});
    for (Vulnerability v : vulnerabilities) {
      Matcher.Finding f = v.finding();
      rows.add(new String[] {f.packageName(), f.installed(), f.fixedIn() == null ? "-" : f.fixedIn(),
          f.advisory().id(), f.advisory().severity().name(), v.allowedBy() != null ? "allowed until "
              + v.allowedBy().expires() + " (allow-list line " + v.allowedBy().line() + ")" : v.fails() ? "FAILS"
              : "below " + failOn});
    }
    int[] w = new int[6];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        sb.append(String.format("%-" + (w[i] + 2) + "s", r[i]));
      }
      out.add(sb.toString().stripTrailing());
    }
    return out;
  }

  public String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("image", image);
    m.put("digest", digest);
    m.put("vulnerabilityDatabase", databaseUsed ? Map.of("records", records) : "none configured: secret scan only");
    m.put("failOn", failOn.name());
    List<Object> vulns = new ArrayList<>();
    for (Vulnerability v : vulnerabilities) {
      Matcher.Finding f = v.finding();
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", f.advisory().id());
      x.put("aliases", f.advisory().aliases());
      x.put("severity", f.advisory().severity().name());
      if (f.advisory().score() != null) {
        x.put("cvss", f.advisory().score());
      }
      x.put("ecosystem", f.ecosystem());
      x.put("package", f.packageName());
      x.put("installed", f.installed());
      x.put("fixedIn", f.fixedIn());
      x.put("location", f.location());
      x.put("summary", f.advisory().summary());
      x.put("status", v.allowedBy() != null ? "allowed" : v.fails() ? "fails" : "below-threshold");
      if (v.allowedBy() != null) {
        x.put("allowedUntil", v.allowedBy().expires().toString());
        x.put("allowReason", v.allowedBy().reason());
      }
      vulns.add(x);
    }
    m.put("vulnerabilities", vulns);
    List<Object> sec = new ArrayList<>();
    for (SecretScanner.Finding s : secrets) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("rule", s.rule());
      x.put("location", s.location());
      x.put("path", s.path());
      x.put("line", s.line());
      sec.add(x);
    }
    m.put("secrets", sec);
    return Json.write(m) + "\n";
  }

  public String sarif(String toolVersion) {
    Map<String, Map<String, Object>> rules = new java.util.TreeMap<>();
    List<Object> results = new ArrayList<>();
    for (Vulnerability v : vulnerabilities) {
      Matcher.Finding f = v.finding();
      String id = f.advisory().id();
      rules.computeIfAbsent(id, k -> {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", k);
        r.put("shortDescription", Map.of("text", f.advisory().summary().isEmpty() ? k : f.advisory().summary()));
        r.put("properties", Map.of("security-severity", f.advisory().score() != null ? f.advisory().score()
            : switch (f.advisory().severity()) {
              case CRITICAL -> "9.5"; case HIGH -> "8.0"; case MEDIUM -> "5.5"; case LOW -> "2.0"; default -> "0.0";
            }));
        return r;
      });
      results.add(result(id, v.fails() ? "error" : "warning", f.packageName() + " " + f.installed() + " is affected"
          + " by " + id + " (" + f.advisory().severity() + ")" + (f.fixedIn() == null ? "" : "; fixed in "
          + f.fixedIn()) + (v.allowedBy() != null ? "; allowed until " + v.allowedBy().expires() : ""),
          f.location().startsWith("/") ? f.location() : "image", 0));
    }
    for (SecretScanner.Finding s : secrets) {
      rules.computeIfAbsent("secret/" + s.rule(), k -> {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", k);
        r.put("shortDescription", Map.of("text", "A secret (" + s.rule() + ") in the image"));
        r.put("properties", Map.of("security-severity", "9.0"));
        return r;
      });
      results.add(result("secret/" + s.rule(), "error", "A secret (" + s.rule() + ") in " + s.location() + " at "
          + s.path(), s.path(), s.line()));
    }
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "devplugin-scan");
    driver.put("version", toolVersion);
    driver.put("informationUri", "https://github.com/devplugin/devplugin-maven-plugin");
    driver.put("rules", new ArrayList<>(rules.values()));
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", results);
    Map<String, Object> sarif = new LinkedHashMap<>();
    sarif.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    sarif.put("version", "2.1.0");
    sarif.put("runs", List.of(run));
    return Json.write(sarif) + "\n";
  }

  private static Map<String, Object> result(String ruleId, String level, String text, String uri, int line) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ruleId", ruleId);
    r.put("level", level);
    r.put("message", Map.of("text", text));
    Map<String, Object> physical = new LinkedHashMap<>();
    physical.put("artifactLocation", Map.of("uri", uri.startsWith("/") ? uri.substring(1) : uri));
    if (line > 0) {
      physical.put("region", Map.of("startLine", line));
    }
    r.put("locations", List.of(Map.of("physicalLocation", physical)));
    return r;
  }
}
