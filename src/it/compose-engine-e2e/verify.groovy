// The quality gate of the compose issue: the generated stack starts for real. docker-compose (against the Podman
// API) creates PostgreSQL and Redis, waits for their health checks, runs migrate to completion, then starts the
// service and waits for its health check (the probe in the image: the JRE base has no shell and no curl).
import groovy.json.JsonSlurper

def dir = new File(basedir, 'target/devplugin/compose')
def image = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
def base = new File(dir, 'docker-compose.yml').text
assert base.contains("image: \"${image.reference}\"") : 'the service runs the image devplugin:image pushed'
assert image.reference.contains('@sha256:') : 'pinned by digest'
// the whole generated directory (.env.example is hidden, so checked apart); the image's digest depends on this
// machine's base image, so digests are masked
def golden = evaluate(new File(basedir, '../../../src/it/golden.groovy'))
golden.check(basedir, 'target/devplugin/compose', 'compose', true)
golden.check(basedir, 'target/devplugin/compose/.env.example', 'compose/.env.example', true)

def Engine = evaluate(new File(basedir, '../../../src/it/compose-engine.groovy'))
def project = "ite2e${ProcessHandle.current().pid()}"
def engine = Engine.newInstance(dir, project, ['docker-compose.yml', 'docker-compose.override.yml'])
int appPort = Engine.freePort()
int pgPort = Engine.freePort()
int redisPort = Engine.freePort()
int debugPort = Engine.freePort()
def password = 'it-e2e-' + UUID.randomUUID().toString().substring(0, 8)
engine.writeEnv([DATABASE_PASSWORD: password, APP_PORT: appPort, POSTGRES_PORT: pgPort, REDIS_PORT: redisPort,
    DEBUG_PORT: debugPort])
try {
  engine.startHealthDriver()
  // blocks until the conditions hold: postgres and redis healthy, migrate completed successfully
  def up = engine.compose(['up', '-d'], 600)
  assert up.exit == 0 : "docker-compose up failed:\n${engine.log}"
  assert engine.inspect('migrate', '{{.State.Status}} {{.State.ExitCode}}') == 'exited 0' :
      "migrate did not complete: ${engine.run(['podman', 'logs', engine.container('migrate')], 30).out}"
  engine.awaitHealthy('notes', 240)

  Engine.assertHealthUp(appPort)
  // the dev override's debug port answers the JDWP handshake while the probe (a JVM too) keeps passing
  Engine.assertJdwpHandshake(debugPort)
  assert engine.health('notes') == 'healthy'

  // the built classes are mounted over the image's (read-only)
  def mounts = engine.inspect('notes', '{{range .Mounts}}{{.Destination}}:{{.RW}} {{end}}')
  assert mounts.contains('/app/classes:false') && mounts.contains('/app/resources:false') : mounts
  def volumes = engine.run(['podman', 'volume', 'ls', '--format', '{{.Name}}'], 30).out.readLines()
  assert volumes.contains("${project}_postgres-data".toString()) && volumes.contains("${project}_redis-data".toString())

  // the generated credentials log in over the ports the dev override publishes on 127.0.0.1; others do not
  def psql = ['psql', '-h', '127.0.0.1', '-p', pgPort, '-U', 'notes', '-d', 'notes', '-w', '-tAc']
  def wrong = engine.run(psql + ['select 1'], 60, [PGPASSWORD: 'not-the-password'])
  assert wrong.exit != 0 && wrong.out.contains('password authentication failed') : 'a wrong password is refused'
  def pong = engine.run(['redis-cli', '-h', '127.0.0.1', '-p', redisPort, 'ping'], 60)
  assert pong.exit == 0 && pong.out.trim() == 'PONG' : "redis-cli over the published port: ${pong.out}"

  // the migrations ran against the stack's database, as the generated user
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
assert !engine.run(['podman', 'volume', 'ls', '--format', '{{.Name}}'], 30).out.contains(project) : 'down -v removes the volumes'
return true
