package io.github.devplugin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.core.Masker;
import io.github.devplugin.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
  @TempDir
  Path dir;

  private final Masker masker = new Masker();

  private Secrets secrets(List<SecretSpec> specs, Map<String, String> env) {
    Secrets.ServerLookup servers = id -> id.equals("db")
        ? Optional.of(new Secrets.ServerCredentials("admin", "server-pw-1", null, null)) : Optional.empty();
    return new Secrets(specs, servers, env::get, masker);
  }

  @Test
  void resolvesEachSourceAndMasksEveryValue() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "file-secret-2\n");
    Secrets s = secrets(List.of(
        new SecretSpec("A", SecretSpec.Source.ENV, "CI_A", "password", "a", false),
        new SecretSpec("B", SecretSpec.Source.FILE, file.toString(), "password", "b", false),
        new SecretSpec("C", SecretSpec.Source.SERVER, "db", "password", "c", false),
        new SecretSpec("D", SecretSpec.Source.SERVER, "db", "username", "d", false)),
        Map.of("CI_A", "env-secret-3"));
    assertThat(s.value("A")).contains("env-secret-3");
    assertThat(s.value("B")).contains("file-secret-2");
    assertThat(s.value("C")).contains("server-pw-1");
    assertThat(s.value("D")).contains("admin");
    assertThat(masker.mask("a env-secret-3 b file-secret-2 c server-pw-1")).isEqualTo("a **** b **** c ****");
  }

  @Test
  void aMissingValueSaysWhereItShouldComeFrom() {
    Secrets s = secrets(List.of(
        new SecretSpec("A", SecretSpec.Source.ENV, "CI_A", "password", "a", false),
        new SecretSpec("B", SecretSpec.Source.SERVER, "nope", "password", "b", false),
        new SecretSpec("C", SecretSpec.Source.ENV, "CI_C", "password", "c", true)), Map.of());
    assertThatThrownBy(() -> s.value("A")).isInstanceOf(UserError.class)
        .hasMessageContaining("the environment variable CI_A is not set. Fix: export CI_A");
    assertThatThrownBy(() -> s.value("B"))
        .hasMessageContaining("there is no <server> with <id>nope</id> in settings.xml");
    assertThat(s.value("C")).isEmpty();
    assertThatThrownBy(() -> s.value("UNDECLARED")).hasMessageContaining("is used but not declared");
  }

  @Test
  void statusNeverCarriesValues() {
    Secrets s = secrets(List.of(new SecretSpec("A", SecretSpec.Source.ENV, "CI_A", "password", "a", false)),
        Map.of("CI_A", "env-secret-3"));
    assertThat(s.status()).containsExactly(new Secrets.Status("A", "environment variable CI_A", true, null));
    assertThat(s.status().toString()).doesNotContain("env-secret-3");
  }

  @Test
  void serverCredentialsAreMaskedOnLookup() {
    Secrets s = secrets(List.of(), Map.of("DEVPLUGIN_DB_PASSWORD", "env-db-pw"));
    assertThat(s.server("db")).isPresent();
    assertThat(s.credentialFromEnvironment("DEVPLUGIN_DB_PASSWORD")).contains("env-db-pw");
    assertThat(masker.mask("server-pw-1 env-db-pw")).isEqualTo("**** ****");
    assertThat(s.server("db").orElseThrow().toString()).doesNotContain("server-pw-1");
  }
}
