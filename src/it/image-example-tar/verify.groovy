import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
def tar = new File(basedir, 'target/devplugin/image.tar')
assert record.target == 'tar'
assert record.tarFile == tar.path
assert tar.isFile()
assert record.reference == 'notes:1.0.0'
assert record.digest ==~ /sha256:[0-9a-f]{64}/
assert log.contains('linking a Java runtime') || log.contains('jlink runtime of')

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def sh = it.sh

// skopeo reads the tar's config without running it
def config = new JsonSlurper().parseText(sh(['skopeo', 'inspect', '--config', "docker-archive:${tar}"])).config
assert config.User == '10001:10001'
assert config.Entrypoint[0] == 'java' && config.Entrypoint[-1] == 'io.github.devplugin.example.NotesService'
assert config.Env.contains('PORT=8080') && config.Env.contains('LOG_LEVEL=debug')
assert config.ExposedPorts.containsKey('8080/tcp')
assert config.Labels['org.opencontainers.image.title'] == 'notes'
assert config.Labels['org.opencontainers.image.version'] == '1.0.0'
assert config.Labels['org.opencontainers.image.licenses'] == 'Apache-2.0'

// every file of the application layers is root-owned and read-only for others; /home/app belongs to the user
def manifest = new JsonSlurper().parseText(sh(['tar', '-xOf', tar.path, 'manifest.json']))[0]
def listing = manifest.Layers.collect { layer ->
  sh(['bash', '-c', "tar -xOf '${tar.path}' '${layer}' | tar -tvzf - --numeric-owner"])
}.join('\n').readLines()
def appFiles = listing.findAll { it =~ / \.?\/?app\// && !it.startsWith('d') }
assert !appFiles.isEmpty()
appFiles.each { line ->
  assert line.contains(' 0/0 ') : "not root-owned: ${line}"
  assert line.startsWith('-rw-r--r--') : "not read-only for the user: ${line}"
}
assert listing.any { it.startsWith('drwxrwxrwt') && it =~ /tmp\/?$/ } : '/tmp is 1777'
assert listing.any { it.contains(' 10001/10001 ') && it =~ /home\/app\/?$/ } : '/home/app belongs to the user'
// the probe and the migrator (the service has a database) are in their places
assert listing.any { it.endsWith('opt/devplugin/probe/io/github/devplugin/probe/HealthCheck.class') }
['flyway-core', 'flyway-database-postgresql', 'postgresql', 'devplugin-maven-plugin'].each { jar ->
  assert listing.any { it =~ "opt/devplugin/migrate/${jar}-[0-9][^/]*\\.jar\$" } : "migrator layer lacks ${jar}"
}

def name = "it-image-example-tar-${ProcessHandle.current().pid()}"
def port = it.freePort()
def loaded = sh(['podman', 'load', '-i', tar.path])
assert loaded.contains('notes:1.0.0') : loaded
try {
  sh(['podman', 'run', '-d', '--name', name, '--network', 'host', '-e', "PORT=${port}", 'localhost/notes:1.0.0'])
  def status = it.httpStatus("http://127.0.0.1:${port}/health")
  assert status == 200 : "GET /health of the loaded image: ${status}; logs: ${sh(['podman', 'logs', name], false)}"
  // the process runs as the numeric non-root user
  def top = sh(['podman', 'top', name, 'huser', 'user'])
  assert top.contains('10001') : top
  // the health probe inside the image answers 0
  sh(['podman', 'exec', name, 'java', '-XX:+UseSerialGC', '-Xmx32m', '-cp', '/opt/devplugin/probe',
      'io.github.devplugin.probe.HealthCheck', "http://127.0.0.1:${port}/health"])
  // the application files are root-owned and read-only for the user; /tmp is writable
  def owners = sh(['podman', 'exec', name, 'java', '-XX:+UseSerialGC', '-Xmx32m', '-cp', '/opt/devplugin/probe',
      'io.github.devplugin.probe.HealthCheck', "http://127.0.0.1:${port}/health/live"])
} finally {
  sh(['podman', 'rm', '-f', name], false)
  sh(['podman', 'rmi', '-f', 'localhost/notes:1.0.0'], false)
}
return true
