def log = new File(basedir, 'build.log').text
def props = new Properties()
new File(basedir, 'db.properties').withInputStream { props.load(it) }
def psql = { String sql ->
  def p = ['psql', '-X', '-qtA', '-h', props.host, '-p', props.port, '-U', System.getenv('DEVPLUGIN_TEST_PG_USER'),
      '-d', props.db, '-c', sql].execute(["PGPASSWORD=${System.getenv('DEVPLUGIN_TEST_PG_PASSWORD')}",
      "PATH=${System.getenv('PATH')}"], basedir)
  def out = p.text
  p.waitFor()
  return out.trim()
}
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
  ['psql', '-X', '-q', '-h', props.host, '-p', props.port, '-U', System.getenv('DEVPLUGIN_TEST_PG_USER'), '-d',
   'postgres', '-c', "DROP DATABASE IF EXISTS ${props.db} WITH (FORCE)"].execute(
      ["PGPASSWORD=${System.getenv('DEVPLUGIN_TEST_PG_PASSWORD')}", "PATH=${System.getenv('PATH')}"], basedir).waitFor()
}
return true
