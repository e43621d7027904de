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

  @Test
  void theTableIsTheOneStringFormatPaddingGaveAndTheEmptyTableSaysSo() {
    List<Migrator.Row> rows = List.of(row(1, "success", true), row(10, "pending", false));
    List<String> table = Migrator.table(rows);
    assertThat(table).containsExactly(
        "+---------+-------------+---------------+-------------------------+------+",
        "| Version | Description | State         | Installed on            | Time |",
        "+---------+-------------+---------------+-------------------------+------+",
        "| 1       | step 1      | success (now) | 2026-11-27 10:00:00 UTC | 5 ms |",
        "| 10      | step 10     | pending       |                         |      |",
        "+---------+-------------+---------------+-------------------------+------+");
    List<String> empty = Migrator.table(List.of());
    assertThat(empty.get(3)).isEqualTo(String.format(java.util.Locale.ROOT, "| %-" + (empty.get(0).length() - 4)
        + "s |", "no migrations found"));
  }

  @Test
  void installedOnIsTheUtcTimeToTheSecondAsSimpleDateFormatGaveIt() {
    java.text.SimpleDateFormat f = new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss", java.util.Locale.ROOT);
    f.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
    for (long millis : new long[] {0L, 1_796_062_198_123L, 946_684_799_999L, 1_709_164_800_000L}) {
      java.sql.Timestamp t = new java.sql.Timestamp(millis);
      assertThat(Migrator.installedOn(t)).isEqualTo(f.format(t) + " UTC");
    }
    assertThat(Migrator.installedOn(new java.util.Date(1_796_062_198_123L))).isEqualTo("2026-11-30 18:09:58 UTC");
  }
}
