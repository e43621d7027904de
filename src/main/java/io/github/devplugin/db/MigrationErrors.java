package io.github.devplugin.db;

import io.github.devplugin.core.EnvironmentError;
import io.github.devplugin.core.UserError;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;

/** Turns Flyway's exceptions into one message that names the script, the line, the statement and the fix. */
final class MigrationErrors {
  private MigrationErrors() {}

  /** A failed statement inside a script: where, what, and PostgreSQL's error. */
  record Failure(String script, int line, String statement, String error, String sqlState) {
    String describe() {
      StringBuilder sb = new StringBuilder(script);
      if (line > 0) {
        sb.append(" line ").append(line);
      }
      sb.append(": ").append(error);
      if (statement != null && !statement.isBlank()) {
        sb.append("\n  Statement: ").append(abbreviate(statement.strip()));
      }
      return sb.toString();
    }
  }

  static Failure failure(Throwable e, String fallbackScript) {
    String script = fallbackScript;
    int line = -1;
    String statement = null;
    SQLException sql = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FlywayMigrateException m && m.getMigration() != null && m.getMigration().getScript() != null) {
        script = fileName(m.getMigration().getScript());
        if (m.getLineNumber() > 0) {
          line = m.getLineNumber();
        }
      }
      if (t instanceof FlywaySqlScriptException s) {
        if (s.getResource() != null) {
          script = s.getResource().getFilename();
        }
        line = s.getLineNumber();
        statement = s.getStatement();
      }
      if (sql == null && t instanceof SQLException q) {
        sql = q;
      }
    }
    String error = sql != null ? Connections.firstLine(sql.getMessage()) : Connections.firstLine(e.getMessage());
    return new Failure(script, line, statement, error, sql == null ? null : sql.getSQLState());
  }

  /** The error for a failed {@code migrate}. */
  static RuntimeException migrateFailed(FlywayException e, DbTarget target) {
    if (Connections.isConnectionFailure(e) && !(e instanceof FlywayMigrateException)) {
      return Connections.connectionError(target, e);
    }
    if (e instanceof FlywayMigrateException m) {
      Failure f = failure(e, m.getMigration() == null ? "a migration" : fileName(m.getMigration().getScript()));
      if (m.isExecutableInTransaction()) {
        return new UserError("Migration " + f.describe() + "\nPostgreSQL rolled the whole migration back: the schema"
            + " and data are as they were before " + f.script() + ", and no history row was written. Fix: correct "
            + f.script() + " and run migrate again.", e);
      }
      return new UserError("Migration " + f.describe() + "\n" + f.script() + " ran outside a transaction (it holds"
          + " statements such as CREATE INDEX CONCURRENTLY), so the statements before the failing one stay applied"
          + " and Flyway recorded the migration as failed. Fix: undo what those statements did (an INVALID index from"
          + " CREATE INDEX CONCURRENTLY: DROP INDEX it), delete the failed row from the schema history table, correct "
          + f.script() + " and run migrate again.", e);
    }
    if (e.getCause() instanceof InterruptedException) {
      return new EnvironmentError("Interrupted while migrating.", e);
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    if (message.contains("advisory lock")) {
      return new UserError("Timed out waiting for the migration lock: " + Connections.firstLine(message)
          + ". Another migrator holds it. Fix: wait for it to finish, or raise <database><lockTimeout>.", e);
    }
    if (message.contains("Unable to resolve location") || message.contains("Failed to find location")
        || message.contains("Unable to find location")) {
      return new UserError("Migration location not found: " + Connections.firstLine(message)
          + ". Fix: correct <database><locations> (default filesystem:src/main/resources/db/migration).", e);
    }
    // validation failures (checksum mismatch, missing or failed migrations) carry Flyway's own explanation
    return new UserError("Flyway refused to migrate: " + message, e);
  }

  static String fileName(String script) {
    if (script == null) {
      return null;
    }
    int slash = Math.max(script.lastIndexOf('/'), script.lastIndexOf('\\'));
    return slash < 0 ? script : script.substring(slash + 1);
  }

  static String abbreviate(String statement) {
    String s = statement.replaceAll("\\s+", " ");
    return s.length() > 300 ? s.substring(0, 297) + "..." : s;
  }
}
