def log = new File(basedir, 'build.log').text
def pg = new GroovyShell().parse(new File(basedir, '../../../src/it/it-database.groovy'))
def psql = { String sql -> pg.query(basedir, sql) }
try {
  // 1: dry run lists the three pending migrations and changes nothing
  assert log.contains('Dry run (-Ddevplugin.migrate.dryRun): 3 pending migrations would be applied')
  // 2: applied, with the table
  assert log =~ /Applied 3 migrations in \d+ ms \(3 SQL versioned\); schema "public" is now at version 3/
  assert log =~ /\| 3 +\| create tags +\| success \(now\)/
  // 3: nothing changed, no work
  assert log.contains('Schema "public" is up to date at version 3: nothing to migrate.')
  // 4 + 5: undo 3, then down to 1
  assert log.contains('Undoing version 3 (create tags) with U3__create_tags.sql')
  assert log.contains('Undoing version 2 (add created at) with U2__add_created_at.sql')
  assert log.contains('Rolled back 1 migration; schema is now at version 1.')
  // 6: migrate re-applies cleanly
  assert log =~ /Applied 2 migrations in \d+ ms \(2 SQL versioned\); schema "public" is now at version 3/
  // 7: asking for too much refuses
  assert log.contains('-Ddevplugin.rollback.count=9 asks for more than the 3 applied migrations')
  assert !log.contains('Exception:') : 'no stack trace'
  assert !log.contains(System.getenv('DEVPLUGIN_TEST_PG_PASSWORD'))

  assert psql('SELECT string_agg(version, \',\' ORDER BY installed_rank) FROM flyway_schema_history') == '1,2,3'
  assert psql('SELECT string_agg(version || \':\' || undo_script, \',\' ORDER BY id) FROM devplugin_rollback_history') ==
      '3:U3__create_tags.sql,2:U2__add_created_at.sql'
  assert psql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'tags'") == '1'
} finally {
  pg.drop(basedir)
}
return true
