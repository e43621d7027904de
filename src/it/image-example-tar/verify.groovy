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
  // the process runs as the numeric non-root user, exactly: every process of the container is 10001:10001
  def top = sh(['podman', 'top', name, 'huser', 'hgroup']).readLines()
  assert top.size() >= 2 : top
  top.drop(1).each { line ->
    assert line.trim().split(/\s+/) as List == ['10001', '10001'] : "a process not run as 10001: ${top}"
  }
  // the health probe inside the image answers 0
  sh(['podman', 'exec', name, 'java', '-XX:+UseSerialGC', '-Xmx32m', '-cp', '/opt/devplugin/probe',
      'io.github.devplugin.probe.HealthCheck', "http://127.0.0.1:${port}/health"])
  // the promise "root-owned, read-only; /tmp writable", on the running container as its own user: the JVM's log file
  // (-Xlog:...:file=) is a write the image's java can do without a shell
  def tryWrite = { String path ->
    def p = ['podman', 'exec', name, 'java', '-XX:+UseSerialGC', '-Xmx32m', "-Xlog:gc:file=${path}", '-version'].execute()
    def out = new StringBuffer()
    p.waitForProcessOutput(out, out)
    return [p.exitValue(), out.toString()]
  }
  def (tmpExit, tmpOut) = tryWrite('/tmp/it-write-check.log')
  assert tmpExit == 0 : "/tmp must be writable by the user: ${tmpOut}"
  // every directory directly under /app and /opt/devplugin (from the layer listing above), those two and /
  def appDirs = listing.findAll { it.startsWith('d') }
      .collect { (it =~ /\s(?:\.\/)?((?:app|opt\/devplugin)\/[^\/]+)\/?$/).with { m -> m.find() ? '/' + m.group(1) : null } }
      .findAll { it != null }.unique()
  assert appDirs.size() >= 3 : "directories under /app and /opt/devplugin: ${appDirs}"
  (['/', '/app', '/opt/devplugin'] + appDirs).collect { it.replaceAll(/\/$/, '') + '/it-write-check.log' }.each { path ->
    def (rc, out) = tryWrite(path)
    assert rc != 0 && out.contains('Permission denied') : "${path} must not be writable by the user: exit ${rc}, ${out}"
  }
  // the real files of the container: every file and directory under /app and /opt/devplugin is owned by 0:0 and
  // writable by nobody but root; /tmp is 1777 and the file written above belongs to 10001
  def mount = sh(['podman', 'mount', name])
  try {
    def root = new File(mount)
    def checked = 0
    ['app', 'opt/devplugin'].each { topDir ->
      def dir = new File(root, topDir)
      assert dir.isDirectory() : "/${topDir} missing from the container"
      java.nio.file.Files.walk(dir.toPath()).withCloseable { walk ->
        walk.each { f ->
          def attrs = java.nio.file.Files.readAttributes(f, 'unix:uid,gid,mode', java.nio.file.LinkOption.NOFOLLOW_LINKS)
          def rel = '/' + root.toPath().relativize(f)
          assert attrs.uid == 0 && attrs.gid == 0 : "${rel} is owned by ${attrs.uid}:${attrs.gid}, not root"
          assert (attrs.mode & 0022) == 0 : "${rel} is writable by group or others: ${Integer.toOctalString(attrs.mode)}"
          checked++
        }
      }
    }
    assert checked > 10 : "only ${checked} files under /app and /opt/devplugin"
    def tmp = java.nio.file.Files.readAttributes(new File(root, 'tmp').toPath(), 'unix:mode')
    assert (tmp.mode & 07777) == 01777 : "/tmp mode ${Integer.toOctalString(tmp.mode)}, not 1777"
    def written = java.nio.file.Files.readAttributes(new File(root, 'tmp/it-write-check.log').toPath(), 'unix:uid,gid')
    assert written.uid == 10001 && written.gid == 10001 : "/tmp file written as ${written.uid}:${written.gid}"
    def passwd = new File(root, 'etc/passwd').readLines().find { it.split(':')[2] == '10001' }
    assert passwd != null && passwd.split(':')[3] == '10001' : 'user 10001 (group 10001) in /etc/passwd'
  } finally {
    sh(['podman', 'umount', name], false)
  }
} finally {
  sh(['podman', 'rm', '-f', name], false)
  sh(['podman', 'rmi', '-f', 'localhost/notes:1.0.0'], false)
}
return true
