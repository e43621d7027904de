package io.github.devplugin.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The schema as PostgreSQL's catalog describes it: tables, columns (type, nullability, default, identity),
 * constraints, indexes, sequences, types (enums, domains, composites), views, functions and triggers of the managed
 * schemas, each as a key ({@code column public.notes.text}) and a definition. Two snapshots are equal when the
 * schemas are; {@link #diff} says how they differ. Object identifiers and data are not part of it.
 */
public record CatalogSnapshot(Map<String, String> entries) {

  public CatalogSnapshot {
    entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  /**
   * Reads the catalog of {@code schemas}, leaving out the tables in {@code excludedTables} (the schema history and
   * the rollback audit table) and everything that belongs to them.
   */
  public static CatalogSnapshot take(Connection c, List<String> schemas, List<String> excludedTables)
      throws SQLException {
    Map<String, String> e = new TreeMap<>();
    Array s = c.createArrayOf("text", schemas.toArray());
    Array x = c.createArrayOf("text", excludedTables.toArray());
    String rel = " n.nspname = ANY(?) AND NOT (c.relname = ANY(?))";
    query(c, "SELECT n.nspname || '.' || c.relname, c.relkind::text, c.relpersistence::text"
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind IN ('r','p','v','m','f') AND" + rel, s, x,
        r -> e.put("relation " + r.getString(1), "kind " + kind(r.getString(2)) + ", persistence " + r.getString(3)));
    query(c, "SELECT n.nspname || '.' || c.relname || '.' || a.attname,"
        + " row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum), format_type(a.atttypid, a.atttypmod),"
        + " a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,"
        + " CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation::regcollation::text END"
        + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " JOIN pg_type t ON t.oid = a.atttypid"
        + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f') AND" + rel, s, x,
        r -> e.put("column " + r.getString(1), "#" + r.getInt(2) + " " + r.getString(3)
            + (r.getBoolean(4) ? " NOT NULL" : "") + (r.getString(5) == null ? "" : " DEFAULT " + r.getString(5))
            + (r.getString(6).isEmpty() ? "" : " IDENTITY " + r.getString(6))
            + (r.getString(7).isEmpty() ? "" : " GENERATED " + r.getString(7))
            + (r.getString(8) == null ? "" : " COLLATE " + r.getString(8))));
    query(c, "SELECT n.nspname || '.' || c.relname || '.' || co.conname, pg_get_constraintdef(co.oid, true)"
        + " FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE" + rel, s, x, r -> e.put("constraint " + r.getString(1), r.getString(2)));
    query(c, "SELECT n.nspname || '.' || t.typname || '.' || co.conname, pg_get_constraintdef(co.oid, true)"
        + " FROM pg_constraint co JOIN pg_type t ON t.oid = co.contypid JOIN pg_namespace n ON n.oid = t.typnamespace"
        + " WHERE n.nspname = ANY(?) AND NOT (t.typname = ANY(?))", s, x,
        r -> e.put("domain constraint " + r.getString(1), r.getString(2)));
    query(c, "SELECT n.nspname || '.' || i.relname, pg_get_indexdef(i.oid)"
        + " FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class c ON c.oid = ix.indrelid"
        + " JOIN pg_namespace n ON n.oid = i.relnamespace WHERE" + rel, s, x,
        r -> e.put("index " + r.getString(1), r.getString(2)));
    query(c, "SELECT n.nspname || '.' || c.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement,"
        + " q.seqmin, q.seqmax, q.seqcache, q.seqcycle, (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname"
        + " FROM pg_depend dp JOIN pg_class dc ON dc.oid = dp.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace"
        + " JOIN pg_attribute da ON da.attrelid = dp.refobjid AND da.attnum = dp.refobjsubid"
        + " WHERE dp.objid = c.oid AND dp.classid = 'pg_class'::regclass AND dp.deptype IN ('a','i') LIMIT 1)"
        + " FROM pg_sequence q JOIN pg_class c ON c.oid = q.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE" + rel + " AND NOT EXISTS (SELECT 1 FROM pg_depend dp JOIN pg_class dc ON dc.oid = dp.refobjid"
        + " WHERE dp.objid = c.oid AND dp.classid = 'pg_class'::regclass AND dp.deptype IN ('a','i')"
        + " AND dc.relname = ANY(?))", s, x, x,
        r -> e.put("sequence " + r.getString(1), r.getString(2) + " start " + r.getLong(3) + " increment "
            + r.getLong(4) + " min " + r.getLong(5) + " max " + r.getLong(6) + " cache " + r.getLong(7)
            + (r.getBoolean(8) ? " cycle" : "") + (r.getString(9) == null ? "" : " owned by " + r.getString(9))));
    query(c, "SELECT n.nspname || '.' || t.typname, t.typtype::text, CASE t.typtype"
        + " WHEN 'e' THEN (SELECT string_agg(quote_literal(enumlabel), ', ' ORDER BY enumsortorder) FROM pg_enum"
        + " WHERE enumtypid = t.oid)"
        + " WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE ''"
        + " END || coalesce(' DEFAULT ' || t.typdefault, '')"
        + " WHEN 'c' THEN (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', '"
        + " ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0"
        + " AND NOT a.attisdropped)"
        + " WHEN 'r' THEN 'range' END"
        + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        + " WHERE n.nspname = ANY(?) AND NOT (t.typname = ANY(?)) AND (t.typtype IN ('e','d','r')"
        + " OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))", s, x,
        r -> e.put("type " + r.getString(1), typeKind(r.getString(2)) + " " + r.getString(3)));
    query(c, "SELECT n.nspname || '.' || c.relname, pg_get_viewdef(c.oid, true)"
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v','m') AND" + rel,
        s, x, r -> e.put("view " + r.getString(1), r.getString(2).strip()));
    query(c, "SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
        + " md5(pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        + " WHERE n.nspname = ANY(?) AND p.prokind IN ('f','p') AND NOT (p.proname = ANY(?))"
        + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')", s, x,
        r -> e.put("function " + r.getString(1), "definition md5 " + r.getString(2)));
    query(c, "SELECT n.nspname || '.' || c.relname || '.' || tg.tgname, pg_get_triggerdef(tg.oid)"
        + " FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE NOT tg.tgisinternal AND" + rel, s, x, r -> e.put("trigger " + r.getString(1), r.getString(2)));
    return new CatalogSnapshot(e);
  }

  /** The differences, one line each: {@code + index public.x (...)} is only in {@code this}, {@code -} only in
   * {@code before}, {@code ~} differs. */
  public List<String> diff(CatalogSnapshot before) {
    List<String> out = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(entries.keySet());
    keys.addAll(before.entries.keySet());
    for (String k : keys) {
      String now = entries.get(k);
      String then = before.entries.get(k);
      if (then == null) {
        out.add("+ " + k + " (" + now + ") is left over");
      } else if (now == null) {
        out.add("- " + k + " (" + then + ") is missing");
      } else if (!now.equals(then)) {
        out.add("~ " + k + " is " + now + ", was " + then);
      }
    }
    return out;
  }

  @FunctionalInterface
  private interface RowHandler {
    void handle(ResultSet r) throws SQLException;
  }

  private static void query(Connection c, String sql, Array schemas, Array excluded, RowHandler h)
      throws SQLException {
    query(c, sql, schemas, excluded, null, h);
  }

  private static void query(Connection c, String sql, Array schemas, Array excluded, Array excluded2, RowHandler h)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, schemas);
      ps.setArray(2, excluded);
      if (excluded2 != null) {
        ps.setArray(3, excluded2);
      }
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          h.handle(r);
        }
      }
    }
  }

  private static String kind(String relkind) {
    return switch (relkind) {
      case "r" -> "table";
      case "p" -> "partitioned table";
      case "v" -> "view";
      case "m" -> "materialized view";
      case "f" -> "foreign table";
      default -> relkind;
    };
  }

  private static String typeKind(String typtype) {
    return switch (typtype) {
      case "e" -> "enum";
      case "d" -> "domain";
      case "c" -> "composite";
      case "r" -> "range";
      default -> typtype;
    };
  }
}
