package io.github.devplugin.k8s;

import io.github.devplugin.config.EffectiveConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example service's configuration (as in example-project/pom.xml) and a log that records what it is told. */
public final class Fixtures {
  private Fixtures() {}

  public static final String NOTES = """
      <service><name>notes</name><port>8080</port><healthPath>/health</healthPath>
        <env><LOG_LEVEL>info</LOG_LEVEL></env>
        <resources><requests><cpu>100m</cpu><memory>128Mi</memory></requests>
          <limits><cpu>500m</cpu><memory>256Mi</memory></limits></resources></service>
      <database><name>notes</name><user>notes</user><passwordSecret>DATABASE_PASSWORD</passwordSecret></database>
      <cache><enabled>true</enabled></cache>
      <kubernetes><redisUrl>redis://notes-redis:6379</redisUrl></kubernetes>
      <secrets><secret><name>DATABASE_PASSWORD</name><env>NOTES_DB_PASSWORD</env></secret></secrets>
      <environments>
        <dev><kubernetes><databaseUrl>jdbc:postgresql://notes-postgres:5432/notes</databaseUrl></kubernetes></dev>
        <staging><service><replicas>2</replicas>
            <ingress><host>notes.staging.example.com</host><className>nginx</className></ingress></service>
          <kubernetes><databaseUrl>jdbc:postgresql://notes-db.staging.internal:5432/notes</databaseUrl></kubernetes>
        </staging>
        <prod><service><replicas>3</replicas>
            <autoscaling><enabled>true</enabled><minReplicas>3</minReplicas><maxReplicas>10</maxReplicas></autoscaling>
            <resources><limits><memory>512Mi</memory></limits></resources>
            <ingress><host>notes.example.com</host><className>nginx</className><tlsSecret>notes-tls</tlsSecret></ingress>
          </service>
          <database><url>jdbc:postgresql://notes-db.prod.internal:5432/notes</url></database>
        </prod>
      </environments>
      """;

  /** A project directory with one migration script. */
  public static Path project(Path dir) {
    try {
      Path m = dir.resolve("src/main/resources/db/migration");
      Files.createDirectories(m);
      Files.writeString(m.resolve("V1__create_notes.sql"), "create table notes (id bigint primary key);\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static EffectiveConfig notes(Path dir, String env) {
    return TestConfig.load(dir, env, NOTES);
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
