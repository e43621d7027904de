import groovy.json.JsonSlurper

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def sh = it.sh
def registry = it.env('DEVPLUGIN_TEST_REGISTRY')
def repo = "${registry}/it/image-example-registry"
def log = new File(basedir, 'build.log').text
def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
assert record.target == 'registry'
assert record.image == repo
assert record.tags == ['1.0.0', 'it-extra']
assert record.digest ==~ /sha256:[0-9a-f]{64}/
assert record.reference == "${repo}@${record.digest}"
assert log.contains("Plain HTTP is allowed for ${registry}") : 'insecure only for loopback, and said so'
// the second, unchanged run did nothing
assert log.contains("Image ${record.reference} is up to date") : 'the second run must skip the build'
assert log.count('Pushed ' + repo) == 1
assert log.contains('Skipping devplugin:image: devplugin.image.skip is true.')

// both tags point at the pushed manifest
['1.0.0', 'it-extra'].each { tag ->
  def digest = sh(['skopeo', 'inspect', '--tls-verify=false', '--format', '{{.Digest}}', "docker://${repo}:${tag}"])
  assert digest == record.digest : "tag ${tag}: ${digest}"
}
def config = new JsonSlurper().parseText(sh(['skopeo', 'inspect', '--config', '--tls-verify=false', "docker://${record.reference}"])).config
assert config.User == '10001:10001'
assert config.Labels['org.opencontainers.image.revision'] ==~ /[0-9a-f]{40}/ : 'revision from git'

// pull and run it with podman: /health answers 200, the process runs as the numeric non-root user
def name = "it-image-example-registry-${ProcessHandle.current().pid()}"
def port = it.freePort()
try {
  sh(['podman', 'pull', '--tls-verify=false', record.reference])
  sh(['podman', 'run', '-d', '--name', name, '--network', 'host', '-e', "PORT=${port}", record.reference])
  def status = it.httpStatus("http://127.0.0.1:${port}/health")
  assert status == 200 : "GET /health: ${status}; logs: ${sh(['podman', 'logs', name], false)}"
  def users = sh(['podman', 'top', name, 'huser', 'user'])
  assert users.readLines().drop(1).every { it.trim().startsWith('10001') } : users
  // the probe command of ImageLayout.healthCheckCommand exits 0 inside the container
  sh(['podman', 'exec', '-e', "PORT=${port}", name, 'java', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k',
      '-Xmx32m', '-cp', '/opt/devplugin/probe', 'io.github.devplugin.probe.HealthCheck', "http://127.0.0.1:${port}/health"])

  // the migrator layer runs ImageLayout.migrateCommand(): once devplugin has MigratorMain, it must load from there
  def pluginJar = new File(basedir, '../../').listFiles().find { it.name ==~ /devplugin-maven-plugin-.*-SNAPSHOT\.jar/ }
  def hasMigrator = pluginJar != null && new java.util.zip.ZipFile(pluginJar).withCloseable {
    it.getEntry('io/github/devplugin/db/MigratorMain.class') != null
  }
  if (hasMigrator) {
    def p = ['podman', 'run', '--rm', '--network', 'none', '--entrypoint', 'java', record.reference, '-XX:+UseSerialGC',
        '-Xmx128m', '-cp', '/opt/devplugin/migrate/*:/app/resources', 'io.github.devplugin.db.MigratorMain'].execute()
    def out = new StringBuffer()
    p.waitForProcessOutput(out, out)
    assert !out.toString().contains('Could not find or load main class') : out
    assert !out.toString().contains('NoClassDefFoundError') : out
  } else {
    println('io.github.devplugin.db.MigratorMain is not in the plugin yet: the migrator classpath run waits for it' +
        ' (the migrator layer\'s jars are checked by image-example-tar)')
  }
} finally {
  sh(['podman', 'rm', '-f', name], false)
  sh(['podman', 'rmi', '-f', record.reference], false)
}
return true
