package io.github.devplugin.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A uniquely named database on the test environment's PostgreSQL ({@code scripts/test-env.sh up}), dropped on close.
 * Fails loudly when the environment is missing.
 */
final class TestDatabase implements AutoCloseable {
  static final String URL = env("DEVPLUGIN_TEST_PG_URL");
  static final String ADMIN_URL = env("DEVPLUGIN_TEST_PG_ADMIN_URL");
  static final String USER = env("DEVPLUGIN_TEST_PG_USER");
  static final String PASSWORD = env("DEVPLUGIN_TEST_PG_PASSWORD");

  final String name;
  final DbTarget target;

  private TestDatabase(String name) {
    this.name = name;
    this.target = new DbTarget(ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name, USER, PASSWORD,
        "-Ddevplugin.db.url", "-Ddevplugin.db.user", "the environment variable DEVPLUGIN_DB_PASSWORD", 10);
  }

  static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalStateException(name + " is not set: the database tests need the test environment's"
          + " PostgreSQL. Run scripts/test-env.sh up and eval \"$(scripts/test-env.sh env)\" first.");
    }
    return v;
  }

  static TestDatabase create(String prefix) {
    String name = "test_db_" + prefix + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    admin("CREATE DATABASE " + name);
    return new TestDatabase(name);
  }

  static void admin(String sql) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL of the test environment (" + ADMIN_URL + ") refused: "
          + e.getMessage() + ". Run scripts/test-env.sh up.", e);
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(target.url(), USER, PASSWORD);
  }

  void exec(String... sql) {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  List<List<String>> query(String sql) {
    try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<List<String>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** md5 of every row of every table in schema public, by table: the data, compared before and after. */
  Map<String, String> rowChecksums() {
    Map<String, String> out = new TreeMap<>();
    for (List<String> t : query("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")) {
      String sum = query("SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM " + t.get(0)
          + " x").get(0).get(0);
      out.put(t.get(0), sum);
    }
    return out;
  }

  /** The catalog of schema public, as the migration check compares it. */
  Map<String, String> catalog() {
    try (Connection c = connect()) {
      return CatalogSnapshot.take(c, List.of("public"),
          List.of("flyway_schema_history", MigrationSpec.AUDIT_TABLE)).entries();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD)) {
      ThrowawayDatabase.drop(c, name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot drop the test database " + name + ": " + e.getMessage(), e);
    }
  }

  /** Writes migration files into a directory. */
  static Path files(Path dir, String... nameAndContent) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < nameAndContent.length; i += 2) {
      Files.writeString(dir.resolve(nameAndContent[i]), nameAndContent[i + 1], StandardCharsets.UTF_8);
    }
    return dir;
  }

  static MigrationSpec spec(Path dir) {
    return new MigrationSpec(List.of("filesystem:" + dir.toAbsolutePath()), List.of(), "flyway_schema_history", 60,
        null);
  }
}
