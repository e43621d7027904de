package io.github.devplugin.scan;

import io.github.devplugin.sbom.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secret scan of every layer and of the image config. Rules (kept narrow, so that a finding is worth failing a
 * build for): a PEM/OpenSSH/PGP private key block; an AWS access key id ({@code AKIA}/{@code ASIA} + 16) and an AWS
 * secret access key assigned to {@code aws_secret_access_key}; a Google Cloud service-account key file (JSON with
 * {@code "type": "service_account"} and a {@code private_key}); GitHub, GitLab and Slack tokens by their prefixes;
 * a {@code .env} file with an assignment ({@code .env.example}, {@code .sample}, {@code .template} are not). The
 * config's environment variables, labels and history are checked with the same content rules. Files larger than
 * 1 MiB, jars, class files and shared libraries are not read; public certificates are never findings. Findings
 * name the rule and where (layer and path, line), never the secret.
 */
public final class SecretScanner implements ImageFiles.FileVisitor {
  /** A secret found. {@code location} is a layer digest + path, or {@code image config}. */
  public record Finding(String rule, String location, String path, int line) {}

  private record Rule(String name, Pattern pattern) {}

  private static final List<Rule> RULES = List.of(
      new Rule("private-key", Pattern.compile(
          "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----")),
      new Rule("aws-access-key-id", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b")),
      new Rule("aws-secret-access-key", Pattern.compile(
          "(?i)aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])")),
      new Rule("gcp-service-account-key", Pattern.compile(
          "\"type\"\\s*:\\s*\"service_account\"[\\s\\S]{0,4000}\"private_key\"\\s*:")),
      new Rule("github-token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\\b")),
      new Rule("gitlab-token", Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20}\\b")),
      new Rule("slack-token", Pattern.compile("\\bxox[baprs]-[0-9]{10,13}-[A-Za-z0-9-]{10,}")));
  private static final Pattern ENV_FILE = Pattern.compile(".*/\\.env(\\.[A-Za-z0-9_-]+)?");
  private static final Set<String> ENV_TEMPLATES = Set.of(".example", ".sample", ".template", ".dist", ".defaults");
  private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^\\s*(?:export\\s+)?[A-Za-z_][A-Za-z0-9_]*=\\S");
  private static final long MAX_SIZE = 1 << 20;

  private final List<Finding> findings = new ArrayList<>();

  public List<Finding> findings() {
    return findings;
  }

  @Override
  public void file(int layer, String layerDigest, String path, long size, InputStream content) throws IOException {
    String lower = path.toLowerCase(java.util.Locale.ROOT);
    if (size > MAX_SIZE || size == 0 || lower.endsWith(".jar") || lower.endsWith(".class") || lower.endsWith(".so")
        || lower.contains(".so.") || lower.endsWith(".jsa") || lower.endsWith("/lib/modules")) {
      return;
    }
    String location = "layer " + (layer + 1) + " (" + shortDigest(layerDigest) + ")";
    String text = new String(content.readAllBytes(), StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher env = ENV_FILE.matcher(path);
    if (env.matches() && (env.group(1) == null || !ENV_TEMPLATES.contains(env.group(1)))
        && ASSIGNMENT.matcher(text).find()) {
      findings.add(new Finding("env-file", location, path, 0));
    }
    scan(text, location, path);
  }

  /** Checks the image config (environment, labels, history) with the content rules. */
  public void config(byte[] config) {
    scan(new String(config, StandardCharsets.UTF_8), "image config", "config.json");
  }

  private void scan(String text, String location, String path) {
    for (Rule r : RULES) {
      java.util.regex.Matcher m = r.pattern().matcher(text);
      if (m.find()) {
        findings.add(new Finding(r.name(), location, path, line(text, m.start())));
      }
    }
  }

  private static int line(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  static String shortDigest(String digest) {
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    return "sha256:" + hex.substring(0, Math.min(12, hex.length()));
  }
}
