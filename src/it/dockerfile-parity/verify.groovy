import groovy.json.JsonSlurper

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def sh = it.sh
def base = it.env('DEVPLUGIN_TEST_BASE_IMAGE')
def context = new File(basedir, 'target/devplugin/docker')
// the whole Dockerfile and .dockerignore, against expected/ (scripts/update-golden.sh dockerfile-parity)
it.goldenDockerfile(basedir, 'target/devplugin/docker/Dockerfile', 'Dockerfile')
it.goldenDockerfile(basedir, 'target/devplugin/docker/.dockerignore', '.dockerignore')
// the build context holds the Dockerfile, its ignore file and the staged layers, no bookkeeping of the goal
assert context.list().toList().toSorted() == ['.dockerignore', 'Dockerfile', 'layers']

def jib = new JsonSlurper().parseText(sh(['skopeo', 'inspect', '--config',
    "docker-archive:${new File(basedir, 'target/devplugin/image.tar')}"])).config
def tag = "localhost/it-dockerfile-parity:${ProcessHandle.current().pid()}"
def name = "it-dockerfile-parity-${ProcessHandle.current().pid()}"
try {
  // --pull=always: a base image left in podman's store by an earlier run of the test environment is not this one
  sh(['podman', 'build', '-q', '--pull=always', '--format', 'docker', '--target', 'staging', '--build-arg', "BASE_IMAGE=${base}",
      '-t', tag, context.path])
  def inspect = new JsonSlurper().parseText(sh(['podman', 'image', 'inspect', tag]))[0]
  def built = inspect.Config
  assert built.User == jib.User
  assert built.Entrypoint == jib.Entrypoint
  assert built.Env.toSet() == jib.Env.toSet()
  assert built.ExposedPorts.keySet() == jib.ExposedPorts.keySet()
  def labels = new TreeMap(built.Labels)
  labels.remove('io.buildah.version')
  assert labels == new TreeMap(jib.Labels)
  assert built.WorkingDir == jib.WorkingDir
  // the Dockerfile adds the HEALTHCHECK that Jib cannot: the probe of ImageLayout.healthCheckCommand
  assert inspect.Healthcheck.Test == ['CMD', 'java', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k', '-Xmx32m',
      '-cp', '/opt/devplugin/probe', 'io.github.devplugin.probe.HealthCheck', 'http://127.0.0.1:8080/health']

  // and it runs: the health check (GET /health inside the container) passes, as the non-root user; the container
  // has its own network namespace, so its port 8080 clashes with nothing on the machine
  sh(['podman', 'run', '-d', '--name', name, '--network', 'none', tag])
  def healthy = false
  for (int i = 0; i < 60 && !healthy; i++) {
    healthy = ['podman', 'healthcheck', 'run', name].execute().waitFor() == 0
    if (!healthy) Thread.sleep(500)
  }
  assert healthy : "the HEALTHCHECK never passed: ${sh(['podman', 'logs', name], false)}"
  assert sh(['podman', 'top', name, 'huser']).readLines().drop(1).every { it.trim() == '10001' }
} finally {
  sh(['podman', 'rm', '-f', name], false)
  sh(['podman', 'rmi', '-f', tag], false)
}

// the dev target (its layers cached from the build above): the debug agent on the service's command line listens
// (its own line in the log), while the HEALTHCHECK's JVM (which a JAVA_TOOL_OPTIONS agent would make bind the same
// port and die) keeps passing; the JDWP handshake through a published port is the compose ITs' (fw-compose-up.groovy)
def devTag = "localhost/it-dockerfile-parity-dev:${ProcessHandle.current().pid()}"
def devName = "it-dockerfile-parity-dev-${ProcessHandle.current().pid()}"
try {
  sh(['podman', 'build', '-q', '--pull=always', '--format', 'docker', '--target', 'dev', '--build-arg', "BASE_IMAGE=${base}",
      '-t', devTag, context.path])
  def dev = new JsonSlurper().parseText(sh(['podman', 'image', 'inspect', devTag]))[0].Config
  assert !dev.Env.any { it.startsWith('JAVA_TOOL_OPTIONS=') } : dev.Env
  assert dev.Entrypoint[0..1] == ['java', '-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005']
  sh(['podman', 'run', '-d', '--name', devName, '--network', 'none', devTag])
  def healthy = false
  for (int i = 0; i < 60 && !healthy; i++) {
    healthy = ['podman', 'healthcheck', 'run', devName].execute().waitFor() == 0
    if (!healthy) Thread.sleep(500)
  }
  def logs = sh(['podman', 'logs', devName], false)
  assert healthy : "the dev target's HEALTHCHECK never passed: ${logs}"
  assert logs.contains('Listening for transport dt_socket at address: 5005') : logs
  assert ['podman', 'healthcheck', 'run', devName].execute().waitFor() == 0 : 'the probe keeps passing'
  // the probe's runs: no agent, so nothing about a taken port
  def probes = sh(['podman', 'inspect', '--format', '{{json .State.Health.Log}}', devName], false)
  assert !probes.contains('bind failed') && !probes.contains('jdwp') : probes
} finally {
  sh(['podman', 'rm', '-f', devName], false)
  sh(['podman', 'rmi', '-f', devTag], false)
}
return true
