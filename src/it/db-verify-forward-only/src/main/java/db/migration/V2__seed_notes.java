package db.migration;

import org.apache.commons.lang3.StringUtils;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** A Java migration using a runtime dependency. */
public class V2__seed_notes extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    try (var st = context.getConnection().prepareStatement("INSERT INTO notes (text) VALUES (?)")) {
      st.setString(1, StringUtils.capitalize("seeded by a java migration"));
      st.execute();
    }
  }
}
