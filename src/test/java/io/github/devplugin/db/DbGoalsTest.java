package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.devplugin.config.ConfigFixtures;
import io.github.devplugin.config.ConfigLoader;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.config.Secrets;
import io.github.devplugin.core.Masker;
import io.github.devplugin.core.UserError;
import io.github.devplugin.testing.RecordingLog;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The database goals' target: the password precedence (settings.xml server, environment, declared secret). */
class DbGoalsTest {
  static final String URL = "jdbc:postgresql://db.example.com:5432/orders";
  static final String SERVER_PW = "server-pw-71a";
  static final String ENV_PW = "env-pw-82b";
  static final String SECRET_PW = "secret-pw-93c";

  private final Masker masker = new Masker();

  /** A configuration naming every source the flags ask for; {@code user} null leaves {@code <user>} unset. */
  static EffectiveConfig config(boolean serverId, boolean passwordSecret, String user) {
    return ConfigFixtures.config()
        .section("database", d -> {
          d.leaf("enabled", "true").leaf("url", URL);
          if (serverId) {
            d.leaf("serverId", "orders-db");
          }
          if (passwordSecret) {
            d.leaf("passwordSecret", "DB_PASSWORD");
          }
          if (user != null) {
            d.leaf("user", user);
          }
        })
        .section("secrets", s -> s.child("secret", x -> x.leaf("name", "DB_PASSWORD").leaf("env", "CI_DB_PW")))
        .load("dev");
  }

  /** Secrets where each source holds its password when its flag is set. */
  private Secrets secrets(boolean server, String serverPassword, boolean env, boolean secretValue) {
    Map<String, String> environment = new HashMap<>();
    if (env) {
      environment.put(DbGoals.PASSWORD_VARIABLE, ENV_PW);
    }
    if (secretValue) {
      environment.put("CI_DB_PW", SECRET_PW);
    }
    Secrets.ServerLookup servers = id -> server && id.equals("orders-db")
        ? Optional.of(new Secrets.ServerCredentials("server_user", serverPassword, null, null)) : Optional.empty();
    return new Secrets(config(true, true, null).secrets(), servers, environment::get, masker);
  }

  @Test
  void everyCombinationOfSourcesTakesTheFirstInPrecedence() {
    for (int mask = 0; mask < 8; mask++) {
      boolean server = (mask & 1) != 0;
      boolean env = (mask & 2) != 0;
      boolean secret = (mask & 4) != 0;
      String label = "server=" + server + ", env=" + env + ", secret=" + secret;
      DbTarget t = DbGoals.target(config(server, secret, null), secrets(server, SERVER_PW, env, secret));
      if (server) {
        assertThat(t.password()).as(label).isEqualTo(SERVER_PW);
        assertThat(t.passwordSetting()).as(label)
            .isEqualTo("the password of settings.xml server 'orders-db' (<database><serverId>)");
      } else if (env) {
        assertThat(t.password()).as(label).isEqualTo(ENV_PW);
        assertThat(t.passwordSetting()).as(label).isEqualTo("the environment variable DEVPLUGIN_DB_PASSWORD");
      } else if (secret) {
        assertThat(t.password()).as(label).isEqualTo(SECRET_PW);
        assertThat(t.passwordSetting()).as(label).isEqualTo("the secret DB_PASSWORD (<database><passwordSecret>)");
      } else {
        assertThat(t.password()).as(label).isNull();
        assertThat(t.passwordSetting()).as(label).isEqualTo("no password (give one with <database><serverId>, the"
            + " environment variable DEVPLUGIN_DB_PASSWORD or <database><passwordSecret>)");
      }
      assertThat(t.url()).isEqualTo(URL);
      assertThat(t.urlSetting()).isEqualTo("<database><url>");
    }
  }

  @Test
  void aServerWithoutPasswordFallsThroughToTheEnvironmentThenTheSecret() {
    DbTarget env = DbGoals.target(config(true, true, null), secrets(true, "", true, true));
    assertThat(env.password()).isEqualTo(ENV_PW);
    DbTarget secret = DbGoals.target(config(true, true, null), secrets(true, null, false, true));
    assertThat(secret.password()).isEqualTo(SECRET_PW);
    assertThat(secret.passwordSetting()).isEqualTo("the secret DB_PASSWORD (<database><passwordSecret>)");
  }

  @Test
  void theServersUsernameServesOnlyWhenNoUserIsConfigured() {
    DbTarget fromServer = DbGoals.target(config(true, false, null), secrets(true, SERVER_PW, false, false));
    assertThat(fromServer.user()).isEqualTo("server_user");
    assertThat(fromServer.userSetting()).isEqualTo("the username of settings.xml server 'orders-db'");
    DbTarget configured = DbGoals.target(config(true, false, "app_owner"), secrets(true, SERVER_PW, false, false));
    assertThat(configured.user()).isEqualTo("app_owner");
    assertThat(configured.userSetting()).isEqualTo("<database><user>");
    DbTarget noServer = DbGoals.target(config(false, false, null), secrets(false, null, true, false));
    assertThat(noServer.user()).as("the default user").isEqualTo("orders_service");
  }

  @Test
  void everyPasswordIsMasked() {
    for (boolean[] s : new boolean[][] {{true, false, false}, {false, true, false}, {false, false, true}}) {
      DbTarget t = DbGoals.target(config(s[0], s[2], null), secrets(s[0], SERVER_PW, s[1], s[2]));
      assertThat(masker.mask("pw " + t.password())).isEqualTo("pw " + Masker.MASK);
      assertThat(t.toString()).doesNotContain(t.password());
    }
  }

  @Test
  void aServerIdWithoutServerIsAnErrorNamingTheIdAndTheFix() {
    assertThatThrownBy(() -> DbGoals.target(config(true, false, null), secrets(false, null, true, false)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("There is no <server> with <id>orders-db</id> in settings.xml (<database><serverId>)")
        .hasMessageContaining("Fix: add it to ~/.m2/settings.xml");
  }

  @Test
  void aDeclaredSecretWithoutValueIsAnErrorWhenNothingBeforeItGivesAPassword() {
    assertThatThrownBy(() -> DbGoals.target(config(false, true, null), secrets(false, null, false, false)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("Secret 'DB_PASSWORD' has no value")
        .hasMessageContaining("CI_DB_PW");
  }

  @Test
  void noUrlIsAnErrorNamingTheElementAndTheProperty() {
    EffectiveConfig noUrl = ConfigFixtures.config().section("database", d -> d.leaf("enabled", "true"))
        .environment("prod", e -> e.child("database", d -> d.leaf("backup", "true"))).load("prod");
    assertThatThrownBy(() -> DbGoals.target(noUrl, secrets(false, null, true, false)))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("No database URL for environment 'prod'")
        .hasMessageContaining("<database><url>jdbc:postgresql://HOST:5432/orders_service</url>")
        .hasMessageContaining("-Ddevplugin.db.url=JDBC_URL");
  }

  @Test
  void overriddenSettingsAreNamedByTheirProperty() {
    EffectiveConfig cfg = config(false, false, null);
    EffectiveConfig overridden = ConfigFixtures.config()
        .section("database", d -> d.leaf("enabled", "true"))
        .load("dev", new ConfigLoader.Override("database.url", URL, "-Ddevplugin.db.url"),
            new ConfigLoader.Override("database.user", "ops", "-Ddevplugin.db.user"));
    DbTarget t = DbGoals.target(overridden, secrets(false, null, true, false));
    assertThat(t.urlSetting()).isEqualTo("-Ddevplugin.db.url");
    assertThat(t.user()).isEqualTo("ops");
    assertThat(t.userSetting()).isEqualTo("-Ddevplugin.db.user");
    assertThat(DbGoals.target(cfg, secrets(false, null, true, false)).userSetting()).isEqualTo("<database><user>");
  }

  @Test
  void aServiceWithoutDatabaseSkipsWithAReason() {
    RecordingLog log = new RecordingLog();
    EffectiveConfig none = ConfigFixtures.config().load("dev");
    assertThat(DbGoals.disabled(none, "migrate", log)).isTrue();
    assertThat(log.text()).contains("Skipping devplugin:migrate: the service has no database");
    assertThat(DbGoals.disabled(config(false, false, null), "migrate", new RecordingLog())).isFalse();
  }
}
