// Shared by the database ITs (each prebuild.groovy evaluates it): creates the IT's own database on the test
// environment's PostgreSQL and points the build at it through .mvn/maven.config (-Ddevplugin.db.url). Fails loudly
// when the environment is missing.
def adminUrl = System.getenv('DEVPLUGIN_TEST_PG_ADMIN_URL')
def password = System.getenv('DEVPLUGIN_TEST_PG_PASSWORD')
def user = System.getenv('DEVPLUGIN_TEST_PG_USER')
if (!adminUrl || !password || !user) {
  throw new IllegalStateException('DEVPLUGIN_TEST_PG_* are not set: run scripts/test-env.sh up and'
      + ' eval "$(scripts/test-env.sh env)" before the ITs')
}
def m = adminUrl =~ /jdbc:postgresql:\/\/([^:\/]+):(\d+)\//
assert m.find() : "unexpected DEVPLUGIN_TEST_PG_ADMIN_URL ${adminUrl}"
def (host, port) = [m.group(1), m.group(2)]
def db = 'it_' + basedir.name.replace('-', '_')
def psql = { String sql ->
  def p = ['psql', '-X', '-q', '-h', host, '-p', port, '-U', user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql]
      .execute(["PGPASSWORD=${password}", "PATH=${System.getenv('PATH')}"], basedir)
  def err = new StringBuilder()
  p.consumeProcessErrorStream(err)
  p.waitFor()
  assert p.exitValue() == 0 : "psql failed: ${err}"
}
psql("DROP DATABASE IF EXISTS ${db} WITH (FORCE)")
psql("CREATE DATABASE ${db}")
new File(basedir, '.mvn').mkdirs()
new File(basedir, '.mvn/maven.config').text = "-Ddevplugin.db.url=jdbc:postgresql://${host}:${port}/${db}\n"
new File(basedir, 'db.properties').text = "host=${host}\nport=${port}\ndb=${db}\n"
// for ITs that need more than one database (parallel-migrate-logs): psql as the test user, and the server
return [psql: psql, host: host, port: port]
