package io.github.devplugin.config;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves declared secrets (and other credentials) to their values, lazily, registering every value with the
 * {@link Masker} before handing it out. Values never enter the configuration model, the trace or any generated file.
 */
public final class Secrets {
  /** The fields of a {@code settings.xml} server, already decrypted by the front-end. */
  public record ServerCredentials(String username, String password, String passphrase, String privateKey) {
    public String field(String name) {
      return switch (name) {
        case "username" -> username;
        case "passphrase" -> passphrase;
        case "privateKey" -> privateKey;
        default -> password;
      };
    }

    @Override
    public String toString() {
      return "ServerCredentials[username=" + username + ", password=" + (password == null ? "null" : Masker.MASK)
          + "]";
    }
  }

  /** Looks up a decrypted {@code settings.xml} server by id. */
  @FunctionalInterface
  public interface ServerLookup {
    Optional<ServerCredentials> server(String id);
  }

  /** Whether a secret can be resolved, for {@code devplugin:config}; never carries the value. */
  public record Status(String name, String source, boolean present, String problem) {}

  private final Map<String, SecretSpec> specs = new LinkedHashMap<>();
  private final ServerLookup servers;
  private final Function<String, String> environment;
  private final Masker masker;

  public Secrets(List<SecretSpec> specs, ServerLookup servers, Function<String, String> environment, Masker masker) {
    specs.forEach(s -> this.specs.put(s.name(), s));
    this.servers = servers;
    this.environment = environment;
    this.masker = masker;
  }

  public Masker masker() {
    return masker;
  }

  public List<SecretSpec> specs() {
    return List.copyOf(specs.values());
  }

  /**
   * The value of a declared secret.
   *
   * @throws UserError when it is not declared or its source holds no value (and it is not optional)
   */
  public Optional<String> value(String name) {
    SecretSpec spec = specs.get(name);
    if (spec == null) {
      throw new UserError("Secret '" + name + "' is used but not declared. Fix: declare it under <secrets><secret>"
          + "<name>" + name + "</name><env>VARIABLE</env></secret></secrets>.");
    }
    Resolved r = resolve(spec);
    if (r.value == null) {
      if (spec.optional()) {
        return Optional.empty();
      }
      throw new UserError("Secret '" + name + "' has no value: " + r.problem);
    }
    return Optional.of(r.value);
  }

  /** Credentials of a {@code settings.xml} server (for registries, databases); the secret fields are masked. */
  public Optional<ServerCredentials> server(String id) {
    Optional<ServerCredentials> c = servers.server(id);
    c.ifPresent(s -> {
      masker.add(s.password());
      masker.add(s.passphrase());
      masker.add(s.privateKey());
    });
    return c;
  }

  /** An environment variable holding a credential (e.g. {@code DEVPLUGIN_DB_PASSWORD}), masked. */
  public Optional<String> credentialFromEnvironment(String variable) {
    String v = environment.apply(variable);
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    masker.add(v);
    return Optional.of(v);
  }

  /** Resolution status of every declared secret, without values. */
  public List<Status> status() {
    return specs.values().stream().map(s -> {
      Resolved r = resolve(s);
      return new Status(s.name(), s.describeSource(), r.value != null, r.problem);
    }).toList();
  }

  private record Resolved(String value, String problem) {}

  private Resolved resolve(SecretSpec spec) {
    String value;
    String problem = null;
    switch (spec.source()) {
      case ENV -> {
        value = environment.apply(spec.reference());
        if (value == null || value.isEmpty()) {
          value = null;
          problem = "the environment variable " + spec.reference() + " is not set. Fix: export "
              + spec.reference() + " before running Maven (in CI, from the pipeline's secret store).";
        }
      }
      case FILE -> {
        Path p = Path.of(spec.reference());
        if (!Files.isRegularFile(p)) {
          value = null;
          problem = "the file " + p + " does not exist. Fix: create it, or point <file> at the mounted secret.";
        } else {
          try {
            value = Files.readString(p, StandardCharsets.UTF_8).strip();
          } catch (IOException e) {
            throw new EnvironmentError("Cannot read secret file " + p + " of secret '" + spec.name() + "': "
                + e.getMessage(), e);
          }
          if (value.isEmpty()) {
            value = null;
            problem = "the file " + p + " is empty.";
          }
        }
      }
      default -> {
        Optional<ServerCredentials> c = servers.server(spec.reference());
        value = c.map(s -> s.field(spec.serverField())).orElse(null);
        if (c.isEmpty()) {
          problem = "there is no <server> with <id>" + spec.reference() + "</id> in settings.xml. Fix: add it to"
              + " ~/.m2/settings.xml (encrypt the password with mvn --encrypt-password).";
        } else if (value == null || value.isEmpty()) {
          value = null;
          problem = "the settings.xml server '" + spec.reference() + "' has no " + spec.serverField() + ".";
        }
      }
    }
    if (value != null) {
      masker.add(value);
    }
    return new Resolved(value, problem);
  }
}
