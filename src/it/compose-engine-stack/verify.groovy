// Starts the generated stack for real (docker-compose against the Podman API) the way a developer would
// (cp .env.example .env, fill in the password): PostgreSQL and Redis become healthy through their own health checks,
// the generated credentials log in over the published ports, the service (its image recorded by prebuild.groovy)
// becomes healthy through the probe in an image without shell or curl while the dev override's JDWP agent holds
// the debug port, and its /health reports PostgreSQL and Redis UP; down -v removes everything. The one-shot
// migrate service needs the migrator (io.github.devplugin.db.MigratorMain) in the image: compose-engine-e2e in
// src/it-pending covers it once the image goal builds it in.
import groovy.json.JsonSlurper

def dir = new File(basedir, 'target/devplugin/compose')
['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml', '.env.example'].each {
  assert new File(dir, it).isFile() : "${it} was not generated"
}
def image = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
def base = new File(dir, 'docker-compose.yml').text
assert base.contains("image: \"${image.reference}\"") : 'the service runs the recorded image, pinned by digest'
assert base.contains("image: \"${registry}/devplugin/postgres:15\"") : 'the POM overrides the PostgreSQL image'
assert base.contains('postgres-data:/var/lib/postgresql/data') : 'a PostgreSQL 15 image keeps its data in .../data'
assert new File(basedir, 'build.log').text.contains('validated against the Compose Specification schema')

def Engine = evaluate(new File(basedir, '../../../src/it/compose-engine.groovy'))
def project = "itstack${ProcessHandle.current().pid()}"
def engine = Engine.newInstance(dir, project, ['docker-compose.yml', 'docker-compose.override.yml'])
int appPort = Engine.freePort()
int pgPort = Engine.freePort()
int redisPort = Engine.freePort()
int debugPort = Engine.freePort()
def password = 'it-stack-' + UUID.randomUUID().toString().substring(0, 8)
new File(dir, '.env').text = new File(dir, '.env.example').text
    .replace('\nDATABASE_PASSWORD=\n', "\nDATABASE_PASSWORD=${password}\n")
    .replace('\nAPP_PORT=8080\n', "\nAPP_PORT=${appPort}\n")
    .replace('\nPOSTGRES_PORT=5432\n', "\nPOSTGRES_PORT=${pgPort}\n")
    .replace('\nREDIS_PORT=6379\n', "\nREDIS_PORT=${redisPort}\n")
    .replace('\nDEBUG_PORT=5005\n', "\nDEBUG_PORT=${debugPort}\n")
    .replace('\nCOMPOSE_PROJECT_NAME=notes\n', "\nCOMPOSE_PROJECT_NAME=${project}\n")

try {
  engine.startHealthDriver()
  def up = engine.compose(['up', '-d', 'postgres', 'redis'], 300)
  assert up.exit == 0 : "docker-compose up failed:\n${engine.log}"
  engine.awaitHealthy('postgres', 120)
  engine.awaitHealthy('redis', 60)

  // the generated credentials log in over the port the dev override publishes on 127.0.0.1
  def psql = ['psql', '-h', '127.0.0.1', '-p', pgPort, '-U', 'notes', '-d', 'notes', '-w', '-tAc']
  def login = engine.run(psql + ["select current_user || '@' || current_database()"], 60, [PGPASSWORD: password])
  assert login.exit == 0 && login.out.trim() == 'notes@notes' : "psql over the published port: ${login.out}"
  def wrong = engine.run(psql + ['select 1'], 60, [PGPASSWORD: 'not-the-password'])
  assert wrong.exit != 0 && wrong.out.contains('password authentication failed') : 'a wrong password is refused'
  def pong = engine.run(['redis-cli', '-h', '127.0.0.1', '-p', redisPort, 'ping'], 60)
  assert pong.exit == 0 && pong.out.trim() == 'PONG' : "redis-cli over the published port: ${pong.out}"

  // the service, without its migrate dependency (no migrator in this image yet)
  def app = engine.compose(['up', '-d', '--no-deps', 'notes'], 300)
  assert app.exit == 0 : "docker-compose up notes failed:\n${engine.log}"
  engine.awaitHealthy('notes', 180)
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
  sleep(12000)
  assert engine.health('notes') == 'healthy'
  // the built classes are mounted over the image's (read-only)
  def mounts = engine.inspect('notes', '{{range .Mounts}}{{.Destination}}:{{.RW}} {{end}}')
  assert mounts.contains('/app/classes:false') && mounts.contains('/app/resources:false') : mounts

  def volumes = engine.run(['podman', 'volume', 'ls', '--format', '{{.Name}}'], 30).out.readLines()
  assert volumes.contains("${project}_postgres-data".toString()) && volumes.contains("${project}_redis-data".toString())
} finally {
  engine.down()
  new File(dir, '.env').delete()
  engine.run(['podman', 'rmi', image.reference], 60)
  engine.run(['skopeo', 'delete', '--tls-verify=false', "docker://${image.reference}"], 60)
  new File(basedir, 'compose-engine.log').text = engine.log.toString()
}
def left = engine.run(['podman', 'ps', '-a', '-q', '--filter', "label=com.docker.compose.project=${project}"], 30).out
assert left.trim().isEmpty() : "containers left behind: ${left}"
assert !engine.run(['podman', 'volume', 'ls', '--format', '{{.Name}}'], 30).out.contains(project) : 'down -v removes the volumes'
return true
