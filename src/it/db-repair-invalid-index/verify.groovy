def log = new File(basedir, 'build.log').text
def pg = new GroovyShell().parse(new File(basedir, '../../../src/it/it-database.groovy'))
def psql = { String sql -> pg.query(basedir, sql) }
try {
  def index = 'INVALID index public.notes_text_key on public.notes (left by an interrupted CREATE or DROP INDEX' +
      ' CONCURRENTLY)'
  def row = 'failed history row of version 2 (V2__unique_text.sql, installed_rank 2)'
  // rollback refuses on the leftovers and names the command that fixes them
  assert log.contains('rollback refused, nothing was changed: an interrupted non-transactional migration or undo left '
      + index + '; ' + row + '. Fix: run mvn devplugin:repair (add -Ddevplugin.repair.dryRun=true to see what it does'
      + ' first), then rollback again.')
  // so does migrate, even with the corrected migration in place
  assert log.contains('migrate refused, nothing was changed: an interrupted non-transactional migration or undo left '
      + index + '; ' + row + '. Fix: run mvn devplugin:repair (add -Ddevplugin.repair.dryRun=true to see what it does'
      + ' first), then migrate again.')
  // the dry run lists each leftover with its statement, then the repair runs them
  assert log.contains('Dry run: repair would fix 2 leftovers of an interrupted migration in')
  assert log.contains('  ' + index + ': DROP INDEX CONCURRENTLY IF EXISTS "public"."notes_text_key"')
  assert log.contains('  ' + row + ': DELETE FROM "public"."flyway_schema_history" WHERE installed_rank = 2 AND NOT'
      + ' success')
  assert log.contains('Nothing was changed (-Ddevplugin.repair.dryRun).')
  assert log.contains('Repaired 2 leftovers; devplugin:migrate now runs the interrupted migrations again.')
  assert !log.contains('Exception:')
  // the corrected V2 applied: a valid index, a clean history
  assert psql("SELECT indisvalid FROM pg_index WHERE indexrelid = 'notes_text_key'::regclass") == 't'
  assert psql("SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) FROM flyway_schema_history")\
      == '1:true,2:true'
} finally {
  pg.drop(basedir)
}
return true
