// Starts the generated PostgreSQL and Redis for real (Podman API + docker-compose) from the generated files, the
// way a developer would (cp .env.example .env, fill in the password), checks the health checks pass in images
// without curl, that the generated credentials log in over the published ports and that down -v removes the
// volumes. The service and its migration need the image goal and the migrator: compose-engine-e2e covers them.
def dir = new File(basedir, 'target/devplugin/compose')
['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml', '.env.example'].each {
  assert new File(dir, it).isFile() : "${it} was not generated"
}
def base = new File(dir, 'docker-compose.yml').text
assert base.contains("image: \"${registry}/devplugin/postgres:15\"") : 'the POM overrides the PostgreSQL image'
assert base.contains('postgres-data:/var/lib/postgresql/data') : 'a PostgreSQL 15 image keeps its data in .../data'
def buildLog = new File(basedir, 'build.log').text
assert buildLog.contains('validated against the Compose Specification schema')

def Engine = evaluate(new File(basedir, '../../../src/it/compose-engine.groovy'))
def project = "itcompose${ProcessHandle.current().pid()}"
def engine = Engine.newInstance(dir, project, ['docker-compose.yml', 'docker-compose.override.yml'])
int pgPort = Engine.freePort()
int redisPort = Engine.freePort()
def password = 'it-engine-' + UUID.randomUUID().toString().substring(0, 8)
new File(dir, '.env').text = new File(dir, '.env.example').text
    .replace('\nDATABASE_PASSWORD=\n', "\nDATABASE_PASSWORD=${password}\n")
    .replace('\nPOSTGRES_PORT=5432\n', "\nPOSTGRES_PORT=${pgPort}\n")
    .replace('\nREDIS_PORT=6379\n', "\nREDIS_PORT=${redisPort}\n")
    .replace('\nCOMPOSE_PROJECT_NAME=engine\n', "\nCOMPOSE_PROJECT_NAME=${project}\n")

// the merged configuration as the client sees it: interpolated from .env
def config = engine.compose(['config'], 120)
assert config.exit == 0 : "docker-compose config failed:\n${engine.log}"
assert config.out.contains("published: ${pgPort}") || config.out.contains("${pgPort}:5432") : config.out

try {
  engine.startHealthDriver()
  def up = engine.compose(['up', '-d', 'postgres', 'redis'], 300)
  assert up.exit == 0 : "docker-compose up failed:\n${engine.log}"
  engine.awaitHealthy('postgres', 120)
  engine.awaitHealthy('redis', 60)

  // the generated credentials log in over the port the dev override publishes on 127.0.0.1
  def psql = ['psql', '-h', '127.0.0.1', '-p', pgPort, '-U', 'engine', '-d', 'enginedb', '-w', '-tAc']
  def login = engine.run(psql + ["select current_user || '@' || current_database()"], 60, [PGPASSWORD: password])
  assert login.exit == 0 && login.out.trim() == 'engine@enginedb' : "psql over the published port: ${login.out}"
  def wrong = engine.run(psql + ['select 1'], 60, [PGPASSWORD: 'not-the-password'])
  assert wrong.exit != 0 && wrong.out.contains('password authentication failed') : 'a wrong password is refused'
  def pong = engine.run(['redis-cli', '-h', '127.0.0.1', '-p', redisPort, 'ping'], 60)
  assert pong.exit == 0 && pong.out.trim() == 'PONG' : "redis-cli over the published port: ${pong.out}"

  // named volumes of the project hold the data
  def volumes = engine.run(['podman', 'volume', 'ls', '--format', '{{.Name}}'], 30).out.readLines()
  assert volumes.contains("${project}_postgres-data".toString()) && volumes.contains("${project}_redis-data".toString())
} finally {
  engine.down()
  new File(dir, '.env').delete()
}
def left = engine.run(['podman', 'ps', '-a', '-q', '--filter', "label=com.docker.compose.project=${project}"], 30).out
assert left.trim().isEmpty() : "containers left behind: ${left}"
def volumesAfter = engine.run(['podman', 'volume', 'ls', '--format', '{{.Name}}'], 30).out
assert !volumesAfter.contains(project) : 'down -v removes the volumes'
new File(basedir, 'compose-engine.log').text = engine.log.toString()
return true
