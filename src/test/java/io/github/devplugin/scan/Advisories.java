package io.github.devplugin.scan;

/**
 * Real OSV records (GitHub Security Advisories as osv.dev serves them, trimmed to the fields devplugin reads), with
 * their real affected ranges and severities.
 */
public final class Advisories {
  private Advisories() {}

  /**
   * CVE-2022-42889 "Text4Shell": commons-text 1.5 up to (not including) 1.10.0. Kept in
   * {@code src/test/resources/osv/}, which the {@code scan-gate} IT's database is made from too.
   */
  public static final String COMMONS_TEXT = resource("osv/GHSA-599f-7c49-w659.json");

  /** CVE-2020-36518: jackson-databind before 2.12.6.1, and 2.13.0 up to 2.13.2.1 (deep nesting, denial of service). */
  public static final String JACKSON_DATABIND = """
      {
        "schema_version": "1.4.0",
        "id": "GHSA-57j2-w4cx-62h2",
        "modified": "2024-03-15T05:04:05Z",
        "published": "2022-03-12T00:00:36Z",
        "aliases": ["CVE-2020-36518"],
        "summary": "Deeply nested json in jackson-databind",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
        "affected": [{
          "package": {"ecosystem": "Maven", "name": "com.fasterxml.jackson.core:jackson-databind"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.12.6.1"}]}]
        }, {
          "package": {"ecosystem": "Maven", "name": "com.fasterxml.jackson.core:jackson-databind"},
          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.13.0"}, {"fixed": "2.13.2.1"}]}]
        }],
        "database_specific": {"cwe_ids": ["CWE-787"], "severity": "HIGH", "github_reviewed": true}
      }
      """;

  private static String resource(String name) {
    try (var in = Advisories.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + name + " is missing");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
