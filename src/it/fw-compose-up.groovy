// Shared by the fw-* ITs that start their generated compose stack for real:
//   evaluate(new File(basedir, '../../../src/it/fw-compose-up.groovy'))(basedir)
// The dev stack (docker-compose.yml + docker-compose.override.yml, as `docker compose up` reads them) is brought up
// with the compose client of src/it/compose-engine.groovy: PostgreSQL and Redis healthy, the image's migrator run to
// completion as the one-shot migrate service, then the app until its health check (the in-image probe on the
// profile's readiness path) says healthy. Through the published ports: every HTTP probe path of the profile answers
// 200, POST /notes/first writes to PostgreSQL and Redis and answers with both read back, the dev override's debug
// port answers the JDWP handshake (the agent loaded once, the health probe's JVM without it: the app stays
// healthy). `down -v` then leaves nothing of the project: no container, network or volume.
import groovy.json.JsonSlurper

return { File basedir ->
  def Engine = evaluate(new File(basedir, '../../../src/it/compose-engine.groovy'))
  def dir = new File(basedir, 'target/devplugin/compose')
  def config = new JsonSlurper().parse(new File(basedir, 'target/devplugin/config-dev.json')).framework
  def service = 'notes'
  def project = "itfw${basedir.name.replaceAll(/[^a-z0-9]/, '')}${ProcessHandle.current().pid()}"
  def engine = Engine.newInstance(dir, project, ['docker-compose.yml', 'docker-compose.override.yml'])
  def ports = [APP_PORT: Engine.freePort(), POSTGRES_PORT: Engine.freePort(), REDIS_PORT: Engine.freePort(),
      DEBUG_PORT: Engine.freePort()]
  def password = 'it-fw-' + UUID.randomUUID().toString().substring(0, 8)
  engine.writeEnv(ports + [DATABASE_PASSWORD: password])
  def paths = config.probes.values().collect { p -> def g = p =~ /^GET (\S+)/; g.find() ? g.group(1) : null }
      .findAll { it != null }.unique()
  assert !paths.isEmpty()
  long started = System.currentTimeMillis()
  try {
    engine.startHealthDriver()
    def up = engine.compose(['up', '-d'], 900)
    assert up.exit == 0 : "docker-compose up failed:\n${engine.log}"
    assert engine.inspect('migrate', '{{.State.Status}} {{.State.ExitCode}}') == 'exited 0' :
        "migrate did not complete: ${engine.run(['podman', 'logs', engine.container('migrate')], 30).out}"
    engine.awaitHealthy(service, 480)
    println "[${basedir.name}] compose stack healthy after ${(System.currentTimeMillis() - started) / 1000} s"

    paths.each { path ->
      def c = new URL("http://127.0.0.1:${ports.APP_PORT}${path}").openConnection()
      c.connectTimeout = 2000
      c.readTimeout = 10000
      assert c.responseCode == 200 : "GET ${path} through the published port: ${c.responseCode}"
    }
    def value = "compose-${System.nanoTime()}"
    def answer = Engine.postNote(ports.APP_PORT, 'first', value)
    assert answer.database == value && answer.redis == value : "POST /notes/first answered ${answer}"

    // the debug agent: loaded once (the JVM refuses a second one), on the published debug port, and the health
    // check's JVM does not try to open it
    Engine.assertJdwpHandshake(ports.DEBUG_PORT)
    def logs = engine.run(['podman', 'logs', engine.container(service)], 30).out
    assert !logs.contains('Cannot load this JVM TI agent twice') && !logs.contains('bind failed') : logs
    def healthLog = engine.inspect(service, '{{json .State.Health.Log}}')
    assert !healthLog.contains('bind failed') && !healthLog.contains('JDWP') : healthLog
    assert engine.health(service) == 'healthy'
  } finally {
    engine.down()
    new File(dir, '.env').delete()
    new File(basedir, 'compose-engine.log').text = engine.log.toString()
  }
  def left = engine.run(['podman', 'ps', '-a', '-q', '--filter', "label=com.docker.compose.project=${project}"], 30)
      .out.trim()
  assert left.isEmpty() : "containers left behind: ${left}"
  def networks = engine.run(['podman', 'network', 'ls', '--format', '{{.Name}}'], 30).out
  assert !networks.contains(project) : "networks left behind: ${networks}"
  def volumes = engine.run(['podman', 'volume', 'ls', '--format', '{{.Name}}'], 30).out
  assert !volumes.contains(project) : "volumes left behind: ${volumes}"
  println "[${basedir.name}] compose stack up, checked and down in ${(System.currentTimeMillis() - started) / 1000} s"
  return true
}
