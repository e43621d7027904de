def log = new File(basedir, 'build.log').text
def pg = new GroovyShell().parse(new File(basedir, '../../../src/it/it-database.groovy'))
def psql = { String sql -> pg.query(basedir, sql) }
try {
  // 1: every kind applied, counted by kind
  assert log =~ /Applied 4 migrations in \d+ ms \(1 Java versioned, 1 SQL repeatable, 2 SQL versioned\); schema "public" is now at version 3/
  assert psql("SELECT string_agg(coalesce(version, 'R') || ':' || type, ',' ORDER BY installed_rank) FROM flyway_schema_history") ==
      '1:SQL,2:JDBC,3:SQL,R:SQL'
  // the Java migration ran with its runtime dependency (commons-lang3)
  assert psql('SELECT text FROM notes') == 'Seeded by a java migration'
  // 2: the dry run validates and finds nothing pending
  assert log.contains('Dry run (-Ddevplugin.migrate.dryRun): 0 pending migrations would be applied')
  assert !log.contains('Exception:') : 'no stack trace'
} finally {
  pg.drop(basedir)
}
return true
