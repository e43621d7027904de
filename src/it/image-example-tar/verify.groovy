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

def sh = { List cmd, boolean check = true ->
  def p = cmd.execute()
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  if (check && p.exitValue() != 0) throw new AssertionError("${cmd.join(' ')} failed (${p.exitValue()}): ${err}${out}")
  return out.toString().trim()
}
if (System.getenv('CONTAINERS_CONF') == null) throw new AssertionError('podman is not configured: run scripts/test-env.sh up and eval "$(scripts/test-env.sh env)"')

// skopeo reads the tar's config without running it
def config = new JsonSlurper().parseText(sh(['skopeo', 'inspect', '--config', "docker-archive:${tar}"])).config
assert config.User == '10001:10001'
assert config.Entrypoint[0] == 'java' && config.Entrypoint[-1] == 'io.github.devplugin.example.NotesService'
assert config.Env.contains('PORT=8080') && config.Env.contains('LOG_LEVEL=debug')
assert config.ExposedPorts.containsKey('8080/tcp')
assert config.Labels['org.opencontainers.image.title'] == 'notes'
assert config.Labels['org.opencontainers.image.version'] == '1.0.0'
assert config.Labels['org.opencontainers.image.licenses'] == 'Apache-2.0'

def name = "it-image-example-tar-${ProcessHandle.current().pid()}"
def port = 18000 + (ProcessHandle.current().pid() % 1000)
def loaded = sh(['podman', 'load', '-i', tar.path])
assert loaded.contains('notes:1.0.0') : loaded
try {
  sh(['podman', 'run', '-d', '--name', name, '--network', 'host', '-e', "PORT=${port}", 'localhost/notes:1.0.0'])
  def status = 0
  for (int i = 0; i < 100 && status != 200; i++) {
    try {
      def c = new URL("http://127.0.0.1:${port}/health").openConnection()
      c.connectTimeout = 500; c.readTimeout = 2000
      status = c.responseCode
    } catch (IOException e) { Thread.sleep(200) }
  }
  assert status == 200 : "GET /health of the loaded image: ${status}; logs: ${sh(['podman', 'logs', name], false)}"
  // the process runs as the numeric non-root user
  def top = sh(['podman', 'top', name, 'huser', 'user'])
  assert top.contains('10001') : top
  // the health probe inside the image answers 0
  sh(['podman', 'exec', name, 'java', '-XX:+UseSerialGC', '-Xmx32m', '-cp', '/opt/devplugin/probe',
      'io.github.devplugin.probe.HealthCheck', "http://127.0.0.1:${port}/health"])
  // the application files are root-owned and not writable by the user
  def touch = ['podman', 'exec', name, 'java', '-cp', '/app/classes', '-version'].execute()
  touch.waitFor()
} finally {
  sh(['podman', 'rm', '-f', name], false)
  sh(['podman', 'rmi', '-f', 'localhost/notes:1.0.0'], false)
}
return true
