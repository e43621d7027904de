package io.github.devplugin.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.devplugin.core.Json;
import java.util.Comparator;
import java.util.List;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.junit.jupiter.api.Test;

class VersionsTest {
  static final Comparator<String> MAVEN = (a, b) -> new ComparableVersion(a).compareTo(new ComparableVersion(b));

  @Test
  void debianOrderIsDpkgs() {
    // pairs from dpkg's own test suite and Debian policy 5.6.12: a < b
    List<String[]> less = List.of(new String[] {"1.0~rc1", "1.0"}, new String[] {"1.0", "1.0-1"},
        new String[] {"1.0-1", "1.0-1+deb12u1"}, new String[] {"2.36-9+deb12u3", "2.36-9+deb12u4"},
        new String[] {"3.0.11-1~deb12u2", "3.0.11-1"}, new String[] {"9:1.0", "10:0.1"},
        new String[] {"1.2.3", "1:0.1"}, new String[] {"1.0a", "1.0b"}, new String[] {"1.9", "1.10"},
        new String[] {"1.0~", "1.0"}, new String[] {"1.0~~", "1.0~"}, new String[] {"1.0+b1", "1.0.1"});
    for (String[] p : less) {
      assertThat(Versions.DEBIAN.compare(p[0], p[1])).as(p[0] + " < " + p[1]).isNegative();
      assertThat(Versions.DEBIAN.compare(p[1], p[0])).as(p[1] + " > " + p[0]).isPositive();
    }
    assertThat(Versions.DEBIAN.compare("0:1.0-1", "1.0-1")).isZero();
    assertThat(Versions.DEBIAN.compare("1.01", "1.1")).isZero();
  }

  @Test
  void semverOrderIgnoresBuildMetadataAndRanksPreReleasesLower() {
    assertThat(Versions.SEMVER.compare("1.0.0-alpha", "1.0.0")).isNegative();
    assertThat(Versions.SEMVER.compare("1.0.0-alpha.1", "1.0.0-alpha.beta")).isNegative();
    assertThat(Versions.SEMVER.compare("1.0.0-rc.1", "1.0.0-rc.11")).isNegative();
    assertThat(Versions.SEMVER.compare("v2.0.0+build5", "2.0.0")).isZero();
    assertThat(Versions.SEMVER.compare("1.10.0", "1.9.9")).isPositive();
  }

  private static OsvDatabase.Affected range(String... events) {
    List<OsvDatabase.Event> ev = new java.util.ArrayList<>();
    for (String e : events) {
      String[] kv = e.split("=");
      ev.add(new OsvDatabase.Event(kv[0], kv[1]));
    }
    return new OsvDatabase.Affected("Maven", "g:a", List.of(new OsvDatabase.Range("ECOSYSTEM", ev)), List.of());
  }

  @Test
  void rangesFollowOsvEventSemantics() {
    OsvDatabase.Affected text = range("introduced=1.5", "fixed=1.10.0");
    assertThat(Matcher.affected(text, "1.4", MAVEN)).isNull();
    assertThat(Matcher.affected(text, "1.5", MAVEN)).isEqualTo("1.10.0");
    assertThat(Matcher.affected(text, "1.9", MAVEN)).isEqualTo("1.10.0");
    assertThat(Matcher.affected(text, "1.10.0", MAVEN)).isNull();
    assertThat(Matcher.affected(text, "1.10", MAVEN)).as("Maven: 1.10 == 1.10.0").isNull();
    assertThat(Matcher.affected(text, "1.10.0-RC1", MAVEN)).as("Maven: a release candidate is before").isEqualTo(
        "1.10.0");
    // two introduced/fixed pairs in one range, sorted by version whatever their order in the record
    OsvDatabase.Affected two = range("introduced=2.13.0", "fixed=2.13.2.1", "introduced=0", "fixed=2.12.6.1");
    assertThat(Matcher.affected(two, "2.12.6", MAVEN)).isEqualTo("2.12.6.1");
    assertThat(Matcher.affected(two, "2.12.6.1", MAVEN)).isNull();
    assertThat(Matcher.affected(two, "2.12.7", MAVEN)).isNull();
    assertThat(Matcher.affected(two, "2.13.1", MAVEN)).isEqualTo("2.13.2.1");
    assertThat(Matcher.affected(two, "2.13.2.1", MAVEN)).isNull();
    // last_affected: the version itself is affected, the next is not; no fixed version known
    OsvDatabase.Affected last = range("introduced=0", "last_affected=3.2.1");
    assertThat(Matcher.affected(last, "3.2.1", MAVEN)).isEmpty();
    assertThat(Matcher.affected(last, "3.2.2", MAVEN)).isNull();
    // explicit versions list
    OsvDatabase.Affected listed = new OsvDatabase.Affected("Maven", "g:a", List.of(), List.of("1.0", "1.1"));
    assertThat(Matcher.affected(listed, "1.1", MAVEN)).isEmpty();
    assertThat(Matcher.affected(listed, "1.2", MAVEN)).isNull();
    // Debian ordering in ranges: ~ sorts before the release
    OsvDatabase.Affected deb = new OsvDatabase.Affected("Debian:12", "openssl", List.of(new OsvDatabase.Range(
        "ECOSYSTEM", List.of(new OsvDatabase.Event("introduced", "0"), new OsvDatabase.Event("fixed",
        "3.0.11-1~deb12u2")))), List.of());
    assertThat(Matcher.affected(deb, "3.0.11-1~deb12u1", Versions.DEBIAN)).isEqualTo("3.0.11-1~deb12u2");
    assertThat(Matcher.affected(deb, "3.0.11-1~deb12u2", Versions.DEBIAN)).isNull();
    assertThat(Matcher.affected(deb, "3.0.13-1~deb12u1", Versions.DEBIAN)).isNull();
  }

  @Test
  void severityComesFromTheCvssVectorElseTheDatabaseLabel() {
    assertThat(Severity.cvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).isEqualTo(9.8);
    assertThat(Severity.cvss3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H")).isEqualTo(7.5);
    assertThat(Severity.cvss3("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N")).isEqualTo(6.4);
    assertThat(Severity.cvss3("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")).isEqualTo(-1);
    OsvDatabase.Advisory text = OsvDatabase.parse(Json.read(Advisories.COMMONS_TEXT), "t");
    assertThat(text.severity()).isEqualTo(Severity.CRITICAL);
    OsvDatabase.Advisory v4 = OsvDatabase.parse(Json.read("{\"id\":\"X-1\",\"severity\":[{\"type\":\"CVSS_V4\","
        + "\"score\":\"CVSS:4.0/AV:N\"}],\"database_specific\":{\"severity\":\"MODERATE\"},\"affected\":[]}"), "t");
    assertThat(v4.severity()).isEqualTo(Severity.MEDIUM);
  }
}
