package io.github.devplugin.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A declared secret: its name (the environment variable the service receives) and where its value comes from. The
 * value itself is never part of the configuration; {@link Secrets} resolves it when a goal needs it.
 *
 * @param name environment-variable name the service sees, e.g. {@code DB_PASSWORD}
 * @param source where the value comes from
 * @param reference the server id, environment variable name or file path
 * @param serverField for {@link Source#SERVER}: which field of the server holds the value
 * @param key the key in the Kubernetes Secret, e.g. {@code db-password}
 * @param optional true when a missing value is not an error
 */
public record SecretSpec(String name, Source source, String reference, String serverField, String key,
    boolean optional) {

  /** Where a secret's value comes from. */
  public enum Source {
    /** A {@code settings.xml} server, decrypted by the build tool. */
    SERVER,
    /** An environment variable of the build. */
    ENV,
    /** A file (e.g. a mounted CI secret). */
    FILE
  }

  /** A human label of the source, safe to log: {@code environment variable PROD_DB_PASSWORD}. */
  public String describeSource() {
    return switch (source) {
      case SERVER -> "settings.xml server '" + reference + "' (" + serverField + ")";
      case ENV -> "environment variable " + reference;
      case FILE -> "file " + reference;
    };
  }

  static List<SecretSpec> from(List<Section> entries) {
    List<SecretSpec> out = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Section s : entries) {
      String name = s.string("name", null);
      Section.Value plain = s.raw("value");
      if (plain != null) {
        s.problem(plain, "secret '" + name + "' is declared with a plain value; secrets never live in POM text.",
            "replace <value> with <env>VARIABLE</env>, <server>settings-server-id</server> or <file>/path</file>.");
        continue;
      }
      Map<String, Section.Value> sources = s.oneOf("server", "env", "file");
      String server = text(sources.get("server"));
      String env = text(sources.get("env"));
      String file = text(sources.get("file"));
      String field = s.string("serverField", "password");
      boolean optional = s.bool("optional", false);
      String key = s.string("key", name == null ? null : name.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      if (!Names.isEnvVarName(name)) {
        s.problem("name", "'" + name + "' is not a valid secret name (it becomes an environment variable).",
            "use letters, digits and '_', e.g. DB_PASSWORD.");
        continue;
      }
      if (sources.size() != 1) {
        s.context().problem(s.element(), "secret '" + name + "' must name exactly one source, not "
            + sources.size() + ".",
            "give one of <env>VARIABLE</env>, <server>settings-server-id</server> or <file>/path</file>.");
        continue;
      }
      if (!List.of("password", "username", "passphrase", "privateKey").contains(field)) {
        s.problem("serverField", "'" + field + "' is not a field of a settings.xml server.",
            "use password, username, passphrase or privateKey.");
        continue;
      }
      if (key == null || !key.matches("[-._a-zA-Z0-9]+")) {
        s.problem("key", "'" + key + "' is not a valid Kubernetes Secret key.", "use letters, digits, '-', '_', '.'.");
        continue;
      }
      if (!keys.add(key)) {
        s.problem("key", "Secret key '" + key + "' is used by two secrets.", "give each secret its own <key>.");
        continue;
      }
      Source source = server != null ? Source.SERVER : env != null ? Source.ENV : Source.FILE;
      String reference = server != null ? server : env != null ? env : file;
      out.add(new SecretSpec(name, source, reference, field, key, optional));
    }
    return out;
  }

  private static String text(Section.Value v) {
    return v == null ? null : v.text();
  }
}
