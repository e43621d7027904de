def log = new File(basedir, 'build.log').text
def pg = new GroovyShell().parse(new File(basedir, '../../../src/it/it-database.groovy'))
def props = pg.itDatabase(basedir)
def psql = { String sql -> pg.query(basedir, sql) }
def backupDir = new File(System.getProperty('user.home'), '.devplugin/backups/it.devplugin/db-prod-backup')
def mode = { File f -> java.nio.file.attribute.PosixFilePermissions.toString(
    java.nio.file.Files.getPosixFilePermissions(f.toPath())) }
try {
  // the default directory is outside target/ (mvn clean keeps it), private to the user
  assert !new File(basedir, 'target/devplugin/backups').exists()
  assert mode(backupDir) == 'rwx------'
  def backups = backupDir.listFiles().findAll { it.name.endsWith('.dump') }
  assert backups.size() == 1 : 'prod took one backup (dev took none)'
  def dump = backups[0]
  assert dump.name ==~ /${props.db}-\d{8}T\d{6}Z-v1\.dump/
  def sum = new File(dump.path + '.sha256').text
  assert sum ==~ /[0-9a-f]{64}  ${dump.name}\n/
  [dump, new File(dump.path + '.sha256'), new File(dump.path + '.identity')].each {
    assert mode(it) == 'rw-------' : it
  }
  def identity = new File(dump.path + '.identity').text
  assert identity.contains("database=${props.db}\n") && identity.contains('environment=prod\n')
  assert identity =~ /serverVersion=\d+\.\d+\n/
  assert sum.substring(0, 64) == java.security.MessageDigest.getInstance('SHA-256').digest(dump.bytes).encodeHex().toString()
  assert log.contains("Backup of schema public written to ${dump.path}")
  // the rollback is refused before anything changes, and points to the backup
  assert log.contains('Rollback refused, nothing was changed: version 2 (V2__rewrite_notes.sql) has no undo script'
      + ' U2__rewrite_notes.sql')
  assert log.contains("restore a backup taken before these migrations with -Ddevplugin.rollback.backup=FILE"
      + " (pg_restore); the newest backup is ${dump.path}")
  assert log.contains('Backup checksum verified')
  assert log.contains("The newest backup of database ${props.db} on ${props.host}:${props.port} (environment prod,")
  assert log =~ /Restored schema public from .*\.dump in \d+ ms/
  assert !log.contains('Exception:')
  // the restore gives back the database as it was before V2
  assert psql('SELECT string_agg(text, \',\' ORDER BY id) FROM notes') == 'first,second,third'
  assert psql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit'") == '0'
  assert psql('SELECT string_agg(version, \',\') FROM flyway_schema_history') == '1'
} finally {
  backupDir.deleteDir()
  pg.drop(basedir)
}
return true
