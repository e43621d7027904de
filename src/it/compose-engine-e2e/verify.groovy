// The quality gate of the compose issue: the generated stack starts for real. docker-compose (against the Podman
// API) creates PostgreSQL and Redis, waits for their health checks, runs migrate to completion, then starts the
// service and waits for its health check (the probe in the image: the JRE base has no shell and no curl).
import groovy.json.JsonSlurper

def dir = new File(basedir, 'target/devplugin/compose')
def image = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
def base = new File(dir, 'docker-compose.yml').text
assert base.contains("image: \"${image.reference}\"") : 'the service runs the image devplugin:image pushed'
assert image.reference.contains('@sha256:') : 'pinned by digest'

def Engine = evaluate(new File(basedir, '../../../src/it/compose-engine.groovy'))
def project = "ite2e${ProcessHandle.current().pid()}"
def engine = Engine.newInstance(dir, project, ['docker-compose.yml', 'docker-compose.override.yml'])
int appPort = Engine.freePort()
int pgPort = Engine.freePort()
int redisPort = Engine.freePort()
int debugPort = Engine.freePort()
def password = 'it-e2e-' + UUID.randomUUID().toString().substring(0, 8)
new File(dir, '.env').text = new File(dir, '.env.example').text
    .replace('\nDATABASE_PASSWORD=\n', "\nDATABASE_PASSWORD=${password}\n")
    .replace('\nAPP_PORT=8080\n', "\nAPP_PORT=${appPort}\n")
    .replace('\nPOSTGRES_PORT=5432\n', "\nPOSTGRES_PORT=${pgPort}\n")
    .replace('\nREDIS_PORT=6379\n', "\nREDIS_PORT=${redisPort}\n")
    .replace('\nDEBUG_PORT=5005\n', "\nDEBUG_PORT=${debugPort}\n")
try {
  engine.startHealthDriver()
  // blocks until the conditions hold: postgres and redis healthy, migrate completed successfully
  def up = engine.compose(['up', '-d'], 600)
  assert up.exit == 0 : "docker-compose up failed:\n${engine.log}"
  assert engine.inspect('migrate', '{{.State.Status}} {{.State.ExitCode}}') == 'exited 0' :
      "migrate did not complete: ${engine.run(['podman', 'logs', engine.container('migrate')], 30).out}"
  engine.awaitHealthy('notes', 240)

  def health = new URL("http://127.0.0.1:${appPort}/health").openConnection()
  assert health.responseCode == 200
  def body = new JsonSlurper().parse(health.inputStream)
  assert body.status == 'UP' && body.checks.postgres == 'UP' && body.checks.redis == 'UP' : body

  // the dev override's debug port answers the JDWP handshake while the probe (a JVM too) keeps passing
  def jdwp = new Socket('127.0.0.1', debugPort)
  try {
    jdwp.outputStream.write('JDWP-Handshake'.bytes)
    def reply = new byte[14]
    new DataInputStream(jdwp.inputStream).readFully(reply)
    assert new String(reply) == 'JDWP-Handshake'
  } finally {
    jdwp.close()
  }
  assert engine.health('notes') == 'healthy'

  // the migrations ran against the stack's database, as the generated user
  def psql = ['psql', '-h', '127.0.0.1', '-p', pgPort, '-U', 'notes', '-d', 'notes', '-w', '-tAc']
  def applied = engine.run(psql + ['select count(*) from flyway_schema_history where success'], 60,
      [PGPASSWORD: password])
  assert applied.exit == 0 && applied.out.trim() == '3' : "applied migrations: ${applied.out}"
} finally {
  engine.down()
  new File(dir, '.env').delete()
  new File(basedir, 'compose-engine.log').text = engine.log.toString()
}
def left = engine.run(['podman', 'ps', '-a', '-q', '--filter', "label=com.docker.compose.project=${project}"], 30).out
assert left.trim().isEmpty() : "containers left behind: ${left}"
return true
