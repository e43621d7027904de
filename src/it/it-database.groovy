// Shared by the database ITs. Each prebuild.groovy evaluates it: it creates the IT's own database on the test
// environment's PostgreSQL and points the build at it through .mvn/maven.config (-Ddevplugin.db.url). Fails loudly
// when the environment is missing. A verify.groovy parses it without running it and calls its methods on the database
// the prebuild made (db.properties):
//   def pg = new GroovyShell().parse(new File(basedir, '../../../src/it/it-database.groovy'))
//   pg.query(basedir, 'SELECT ...')   // psql -qtA output, trimmed
//   pg.drop(basedir)                  // in the finally block
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

/** The IT database's psql output (unaligned, tuples only) for {@code sql}, trimmed. */
static String query(File basedir, String sql) {
  def props = itDatabase(basedir)
  def p = ['psql', '-X', '-qtA', '-h', props.host, '-p', props.port, '-U', System.getenv('DEVPLUGIN_TEST_PG_USER'),
      '-d', props.db, '-c', sql].execute(psqlEnvironment(), basedir)
  def out = p.text
  p.waitFor()
  return out.trim()
}

/** Drops the IT's database (verify.groovy's finally block). */
static void drop(File basedir) {
  def props = itDatabase(basedir)
  ['psql', '-X', '-q', '-h', props.host, '-p', props.port, '-U', System.getenv('DEVPLUGIN_TEST_PG_USER'), '-d',
   'postgres', '-c', "DROP DATABASE IF EXISTS ${props.db} WITH (FORCE)"].execute(psqlEnvironment(), basedir).waitFor()
}

/** host, port and db of the IT's database, as the prebuild wrote them. */
static Properties itDatabase(File basedir) {
  def props = new Properties()
  new File(basedir, 'db.properties').withInputStream { props.load(it) }
  return props
}

static List<String> psqlEnvironment() {
  return ["PGPASSWORD=${System.getenv('DEVPLUGIN_TEST_PG_PASSWORD')}", "PATH=${System.getenv('PATH')}"]
      .collect { it.toString() }
}
