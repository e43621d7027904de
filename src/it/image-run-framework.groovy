// Shared by the fw-* ITs: evaluate(new File(basedir, '../../../src/it/image-run-framework.groovy')) returns a closure
// that runs the image devplugin:image pushed for a real framework app under podman, with a fresh database on the
// test PostgreSQL and a redis-server of its own, and checks it as a deployment would: the process runs as the
// non-root user, every probe path of the framework profile answers 200, POST /notes/{key} answers with the value
// read back from PostgreSQL and Redis. The variable names, probe paths and migration settings are read from
// devplugin:config's JSON (target/devplugin/config-dev.json), never spelled here. devplugin's migrate step runs as
// compose's migrate service and the Kubernetes migration Job run it: the image's own migrator, with the command and
// the layout's environment of the generated files (which must agree), pointed at the IT's database; the history
// table then holds every migration of the sources (SQL and Java), and the app runs with the profile's "when devplugin
// migrates" environment against that schema. Containers,
// Redis and the database are removed at the end, also on failure. Returns what the caller may check further
// (the container's file system is mounted while `inspect` runs).
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

return { File basedir, Map<String, String> extraEnv, Closure inspect ->
  def support = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
  support.env('CONTAINERS_CONF')
  def adminUrl = support.env('DEVPLUGIN_TEST_PG_ADMIN_URL')
  def pgUser = support.env('DEVPLUGIN_TEST_PG_USER')
  def pgPassword = support.env('DEVPLUGIN_TEST_PG_PASSWORD')
  def m = adminUrl =~ /jdbc:postgresql:\/\/([^:\/]+):(\d+)\//
  assert m.find() : "unexpected DEVPLUGIN_TEST_PG_ADMIN_URL ${adminUrl}"
  def (pgHost, pgPort) = [m.group(1), m.group(2)]
  def db = 'it_' + basedir.name.replace('-', '_')
  def psql = { String sql, File file = null ->
    def cmd = ['psql', '-X', '-q', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', file == null ? 'postgres' : db,
        '-v', 'ON_ERROR_STOP=1']
    cmd += file == null ? ['-c', sql] : ['-f', file.path]
    def p = cmd.execute(["PGPASSWORD=${pgPassword}", "PATH=${System.getenv('PATH')}"], basedir)
    def out = new StringBuffer(), err = new StringBuffer()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "psql failed: ${err}"
  }

  def config = new JsonSlurper().parse(new File(basedir, 'target/devplugin/config-dev.json')).framework
  def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
  def image = record.reference
  def query = { String sql ->
    def p = ['psql', '-X', '-At', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', db, '-c', sql]
        .execute(["PGPASSWORD=${pgPassword}", "PATH=${System.getenv('PATH')}"], basedir)
    def out = new StringBuffer(), err = new StringBuffer()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "psql failed: ${err}"
    return out.toString().trim()
  }
  // YAML read by the PyYAML that Debian's docker-compose (which the compose ITs need) depends on
  def yaml = { File f ->
    new JsonSlurper().parseText(support.sh(['/usr/bin/python3', '-c',
        'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)', f.path]))
  }

  // the migrate step as the generated files run it, against the IT's database
  def migrate = {
    def service = yaml(new File(basedir, 'target/devplugin/compose/docker-compose.yml')).services.migrate
    def jobFile = new File(basedir, 'target/devplugin/k8s/dev').listFiles().find { it.name.startsWith('job-') }
    def job = yaml(jobFile).spec.template.spec.containers[0]
    def layoutEnv = service.environment.findAll { k, v -> !k.startsWith('DATABASE_') }
    assert job.command == service.entrypoint : "the Job runs ${job.command}, compose's migrate ${service.entrypoint}"
    assert job.env.findAll { !it.name.startsWith('DATABASE_') }.collectEntries { [it.name, it.value] } == layoutEnv
    layoutEnv.each { k, v -> assert !v.contains('${') : "${k}: ${v}" }
    def run = ['podman', 'run', '--rm', '--network', 'host', '--tls-verify=false',
        '--entrypoint', JsonOutput.toJson(service.entrypoint)]
    def env = [DATABASE_URL: "jdbc:postgresql://${pgHost}:${pgPort}/${db}", DATABASE_USER: pgUser,
        DATABASE_PASSWORD: pgPassword] + layoutEnv
    env.each { k, v -> run += ['-e', "${k}=${v}"] }
    run << record.reference
    println "[${basedir.name}] migrator: ${service.entrypoint.join(' ')} with ${env.keySet().sort().join(', ')}"
    def out = support.sh(run)
    // every migration of the sources applied, SQL and Java, in version order
    def expected = []
    new File(basedir, 'src/main/resources/db/migration').eachFileMatch(~/V\d+__.*\.sql/) { f ->
      expected << [(f.name =~ /^V(\d+)__/)[0][1] as int, 'SQL'] }
    def javaDir = new File(basedir, 'src/main/java/db/migration')
    if (javaDir.isDirectory()) {
      javaDir.eachFileMatch(~/V\d+__.*\.java/) { f -> expected << [(f.name =~ /^V(\d+)__/)[0][1] as int, 'JDBC'] }
    }
    assert !expected.isEmpty()
    def applied = query('SELECT version, type FROM flyway_schema_history WHERE success AND version IS NOT NULL'
        + ' ORDER BY installed_rank').readLines().collect { l -> def (v, t) = l.split('\\|'); [v as int, t] }
    assert applied == expected.sort { a -> a[0] } : "history ${applied}, expected ${expected}; migrator:\n${out}"
    println "[${basedir.name}] migrator applied ${applied}"
  }

  def port = support.freePort()
  def redisPort = support.freePort()
  def name = "it-${basedir.name}-${ProcessHandle.current().pid()}"
  def redis = null
  def started = false
  try {
    psql("DROP DATABASE IF EXISTS ${db} WITH (FORCE)")
    psql("CREATE DATABASE ${db}")
    migrate()
    redis = new ProcessBuilder(['redis-server', '--port', "${redisPort}", '--bind', '127.0.0.1', '--save', '',
        '--appendonly', 'no'].collect { a -> a.toString() }).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start()

    // the values, under the names the framework profile gives them
    def values = [port: "${port}", databaseUrl: "jdbc:postgresql://${pgHost}:${pgPort}/${db}", databaseUser: pgUser,
        databasePassword: pgPassword, redisUrl: "redis://127.0.0.1:${redisPort}", redisHost: '127.0.0.1',
        redisPort: "${redisPort}"]
    def env = [:]
    config.variables.each { key, variable -> if (variable != null) env[variable] = values[key] }
    assert env.size() >= 5 : "the profile names too few variables: ${config.variables}"
    env.putAll(config.migrationEnvironment)
    env.putAll(extraEnv)
    def run = ['podman', 'run', '-d', '--name', name, '--network', 'host', '--tls-verify=false']
    env.each { k, v -> run += ['-e', "${k}=${v}"] }
    run << image
    println "[${basedir.name}] podman run ${image} with ${env.keySet().sort().join(', ')}"
    support.sh(run)
    started = true

    // every probe path of the profile answers 200 (Boot took ~120 s to start on a loaded machine)
    def paths = config.probes.values().collect { p -> { def g = p =~ /^GET (\S+)/; g.find() ? g.group(1) : null }() }
        .findAll { x -> x != null }.unique()
    assert !paths.isEmpty() : "no HTTP probe in ${config.probes}"
    assert config.managementPort == null : 'the fw apps serve probes on the service port'
    long deadline = System.currentTimeMillis() + 420_000
    long lastProgress = System.currentTimeMillis()
    for (String path : paths) {
      int status = 0
      while (status != 200) {
        try {
          def c = new URL("http://127.0.0.1:${port}${path}").openConnection()
          c.connectTimeout = 1000
          c.readTimeout = 5000
          status = c.responseCode
        } catch (IOException e) {
          status = 0
        }
        if (status == 200) break
        def state = support.sh(['podman', 'inspect', '--format', '{{.State.Status}}', name], false)
        assert state == 'running' : "the container stopped (${state}); logs:\n${support.sh(['podman', 'logs', name], false)}"
        assert System.currentTimeMillis() < deadline : "GET ${path} answered ${status} after 420 s; logs:\n" +
            support.sh(['podman', 'logs', name], false)
        if (System.currentTimeMillis() - lastProgress > 15_000) {
          println "[${basedir.name}] waiting for GET ${path} (last status ${status})"
          lastProgress = System.currentTimeMillis()
        }
        Thread.sleep(1000)
      }
      println "[${basedir.name}] GET ${path}: 200"
    }

    // the process runs as the numeric non-root user
    def top = support.sh(['podman', 'top', name, 'huser', 'hgroup']).readLines().drop(1).findAll { l -> l.trim() }
    assert !top.isEmpty()
    top.each { line -> assert line.trim().split(/\s+/) == ['10001', '10001'] : "not the non-root user: ${line}" }

    // the app talks to the PostgreSQL and Redis given through the variables
    def value = "note-${System.nanoTime()}"
    def c = new URL("http://127.0.0.1:${port}/notes/first").openConnection()
    c.requestMethod = 'POST'
    c.doOutput = true
    c.setRequestProperty('Content-Type', 'text/plain')
    c.outputStream.withCloseable { out -> out.write(value.getBytes('UTF-8')) }
    assert c.responseCode == 200 : "POST /notes/first: ${c.responseCode}; logs:\n${support.sh(['podman', 'logs', name], false)}"
    // JSON ({"database":..,"redis":..}) or text (database=.. redis=..), as each app writes it
    def body = c.inputStream.getText('UTF-8').trim()
    def answer = body.startsWith('{') ? new JsonSlurper().parseText(body)
        : body.split(/\s+/).collectEntries { kv -> kv.split('=', 2) as List }
    assert answer.database == value && answer.redis == value : "POST /notes/first answered ${answer}"
    def rows = ['psql', '-X', '-At', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', db, '-c',
        "SELECT text FROM note WHERE key = 'first'"].execute(["PGPASSWORD=${pgPassword}", "PATH=${System.getenv('PATH')}"], basedir).text.trim()
    assert rows == value : "the row in ${db}: ${rows}"

    if (inspect != null) {
      def mount = support.sh(['podman', 'mount', name])
      try {
        inspect(new File(mount))
      } finally {
        support.sh(['podman', 'umount', name], false)
      }
    }
  } finally {
    if (started) {
      support.sh(['podman', 'rm', '-f', '-t', '5', name], false)
    }
    if (redis != null) {
      redis.destroy()
      redis.waitFor()
    }
    psql("DROP DATABASE IF EXISTS ${db} WITH (FORCE)")
  }
  return true
}
