// this IT's database on the test environment's PostgreSQL; -Ddevplugin.db.url points at it (.mvn/maven.config). The
// settings.xml server holds the test user's name and its password encrypted: both are constants of
// scripts/test-env.sh (PG_USER, PG_PASSWORD), checked here so that a change there names what to re-encrypt.
def adminUrl = System.getenv('DEVPLUGIN_TEST_PG_ADMIN_URL')
def password = System.getenv('DEVPLUGIN_TEST_PG_PASSWORD')
def user = System.getenv('DEVPLUGIN_TEST_PG_USER')
if (!adminUrl || !password || !user) {
  throw new IllegalStateException('DEVPLUGIN_TEST_PG_* are not set: run scripts/test-env.sh up and'
      + ' eval "$(scripts/test-env.sh env)" before the ITs')
}
assert user == 'devplugin' && password == 'devplugin-test' : 'the test PostgreSQL user or password changed: update' +
    ' src/it/settings-encrypted/settings.xml (mvn -Dsettings.security=src/it/settings-encrypted/settings-security.xml' +
    ' --encrypt-password NEW_PASSWORD)'
def m = adminUrl =~ /jdbc:postgresql:\/\/([^:\/]+):(\d+)\//
assert m.find() : "unexpected DEVPLUGIN_TEST_PG_ADMIN_URL ${adminUrl}"
def (host, port) = [m.group(1), m.group(2)]
def psql = { String sql ->
  def p = ['psql', '-X', '-q', '-h', host, '-p', port, '-U', user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql]
      .execute(["PGPASSWORD=${password}", "PATH=${System.getenv('PATH')}"], basedir)
  def err = new StringBuffer(), out = new StringBuffer()
  p.waitForProcessOutput(out, err)
  assert p.exitValue() == 0 : "psql failed: ${err}"
}
psql('DROP DATABASE IF EXISTS it_settings_encrypted WITH (FORCE)')
psql('CREATE DATABASE it_settings_encrypted')
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Ddevplugin.db.url=jdbc:postgresql://${host}:${port}/it_settings_encrypted\n"
new File(basedir, 'db.properties').text = "host=${host}\nport=${port}\n"
return true
