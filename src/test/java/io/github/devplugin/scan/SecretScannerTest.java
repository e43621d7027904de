package io.github.devplugin.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretScannerTest {
  private static SecretScanner scan(String path, String content) throws Exception {
    SecretScanner s = new SecretScanner();
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    s.file(0, "sha256:" + "0".repeat(64), path, b.length, new ByteArrayInputStream(b));
    return s;
  }

  @Test
  void findsKeysAndTokensButNotCertificatesOrTemplates() throws Exception {
    assertThat(scan("/k.pem", "x\n-----BEGIN RSA PRIVATE KEY-----\nMII\n").findings()).singleElement()
        .satisfies(f -> assertThat(f.line()).isEqualTo(2));
    assertThat(scan("/a.properties", "key=AKIAIOSFODNN7EXAMPLQ\n").findings()).extracting(SecretScanner.Finding::rule)
        .containsExactly("aws-access-key-id");
    assertThat(scan("/c", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n").findings())
        .extracting(SecretScanner.Finding::rule).containsExactly("aws-secret-access-key");
    assertThat(scan("/sa.json", "{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key\": \"x\"}")
        .findings()).extracting(SecretScanner.Finding::rule).containsExactly("gcp-service-account-key");
    assertThat(scan("/t", "token: ghp_" + "a".repeat(36)).findings()).extracting(SecretScanner.Finding::rule)
        .containsExactly("github-token");
    assertThat(scan("/app/.env", "DB_PASSWORD=hunter2\n").findings()).extracting(SecretScanner.Finding::rule)
        .containsExactly("env-file");
    // not findings
    assertThat(scan("/etc/ssl/certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMII\n").findings()).isEmpty();
    assertThat(scan("/app/.env.example", "DB_PASSWORD=changeme\n").findings()).isEmpty();
    assertThat(scan("/app/.env", "# empty\n").findings()).isEmpty();
    assertThat(scan("/usr/share/doc/x", "AKIA is the prefix of AWS key ids").findings()).isEmpty();
    assertThat(scan("/app/libs/x.jar", "-----BEGIN PRIVATE KEY-----").findings()).isEmpty();
  }
}
