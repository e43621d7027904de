// 1: the migration ran as the server's user (the POM names no user), logged in with the decrypted password (the
//    encrypted text is not the password: PostgreSQL asks for it over 127.0.0.1)
// 2: a wrong master password fails the build naming the server and the fix, without a stack trace
def log = new File(basedir, 'build.log').text
def props = new Properties()
new File(basedir, 'db.properties').withInputStream { props.load(it) }
def psql = { String db, String sql ->
  def p = ['psql', '-X', '-qtA', '-h', props.host, '-p', props.port, '-U', System.getenv('DEVPLUGIN_TEST_PG_USER'),
      '-d', db, '-v', 'ON_ERROR_STOP=1', '-c', sql].execute(["PGPASSWORD=${System.getenv('DEVPLUGIN_TEST_PG_PASSWORD')}",
      "PATH=${System.getenv('PATH')}"], basedir)
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  assert p.exitValue() == 0 : "psql failed: ${err}"
  return out.toString().trim()
}
try {
  assert log =~ /Applied 1 migration in \d+ ms \(1 SQL versioned\); schema "public" is now at version 1/
  def applied = psql(props.db, 'SELECT installed_by || \' \' || version || \' \' || success FROM flyway_schema_history' +
      ' WHERE version IS NOT NULL')
  assert applied == 'devplugin 1 true' : "applied as the settings.xml server's user: ${applied}"
  assert log.contains("Cannot decrypt the password of settings.xml server 'it-encrypted-db'") : 'wrong master password'
  assert log.contains('Fix: re-encrypt it with mvn --encrypt-password')
  assert log.count('BUILD FAILURE') == 1
  assert !log.contains('devplugin-test') : 'the decrypted password in the log'
  assert !(log =~ /\n\s+at [a-z]+\.[\w.$]+\(/) : 'no stack trace'
} finally {
  psql('postgres', "DROP DATABASE IF EXISTS ${props.db} WITH (FORCE)")
}
return true
