package db.migration;

import java.sql.PreparedStatement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A Java migration in the application's own jar (Quarkus' fast-jar: /app/app/fw-quarkus-1.0.0.jar): the image's
 * migrator finds it through DEVPLUGIN_APP_CLASSPATH, as it finds V1's SQL there.
 */
public class V2__welcome_note extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    try (PreparedStatement ps = context.getConnection().prepareStatement(
        "INSERT INTO note (key, text) VALUES ('welcome', 'written by a Java migration')")) {
      ps.executeUpdate();
    }
  }
}
