package io.github.devplugin.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTableTest {
  private static Migrator.Row row(int v, String state, boolean now) {
    return new Migrator.Row(String.valueOf(v), "step " + v, "SQL", state, state.equals("pending") ? ""
        : "2026-11-27 10:00:00 UTC", state.equals("pending") ? null : 5, now);
  }

  @Test
  void showsPendingAndNewAndTheNewestEarlierOnes() {
    List<Migrator.Row> rows = new ArrayList<>();
    for (int v = 1; v <= 30; v++) {
      rows.add(row(v, "success", false));
    }
    rows.add(row(31, "success", true));
    rows.add(row(32, "pending", false));
    List<String> table = Migrator.table(rows, 5);
    assertThat(table.get(0)).isEqualTo("25 earlier applied migrations are not shown.");
    String text = String.join("\n", table);
    assertThat(text).doesNotContain("| 25 ").contains("| 26 ", "| 30 ", "| 31      | step 31     | success (now)",
        "| 32      | step 32     | pending");
    assertThat(table.get(1)).startsWith("+---------+");
    assertThat(table).filteredOn(l -> l.startsWith("|")).allSatisfy(l -> assertThat(l).hasSameSizeAs(table.get(1)));
  }
}
