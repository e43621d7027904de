import groovy.json.JsonSlurper
import java.nio.file.*

// The source-mode Dockerfile, built for real with `podman build` on the project directory: builder and base images
// from the test registry, the project's dependencies and plugins from Maven Central inside the build, devplugin (not
// on Central) from a read-only repository mounted into the build. The image must match the Jib-built one, run, and a
// rebuild after a source change must reuse the dependency stage.
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def sh = it.sh
def base = it.env('DEVPLUGIN_TEST_BASE_IMAGE')
def builder = it.env('DEVPLUGIN_TEST_BUILDER_IMAGE')

def dockerfilePath = 'target/devplugin/docker/Dockerfile.source'
// the whole Dockerfile and its ignore file, against expected/ (scripts/update-golden.sh dockerfile-source-build)
it.goldenDockerfile(basedir, dockerfilePath, 'Dockerfile.source')
it.goldenDockerfile(basedir, dockerfilePath + '.dockerignore', 'Dockerfile.source.dockerignore')
// the source mode writes no staged layers on the host
assert !new File(basedir, 'target/devplugin/docker/layers').exists()
assert new File(basedir, 'build.log').text.contains('Wrote ' + dockerfilePath)

// a private image store: the build's intermediate images (hundreds of MB of local repository) go with it
def store = Files.createTempDirectory('dfs')  // short: podman limits the runroot's length
def podman = { List args -> ['podman', '--root', "${store}/root", '--runroot', "${store}/run"] + args }
// devplugin is not on Maven Central: the build reads it from a copy of the ITs' repository, as a read-only tail of
// its local repository (Maven 3.9 maven.repo.local.tail); everything else comes from Central
def tail = store.resolve('devplugin-repo')
def ours = new File(basedir, '../../local-repo/io/github/devplugin').canonicalFile.toPath()
assert Files.isDirectory(ours) : "devplugin is not installed in ${ours}"
Files.walk(ours).withCloseable { w ->
  w.each { p ->
    def t = tail.resolve('io/github/devplugin').resolve(ours.relativize(p).toString())
    if (Files.isDirectory(p)) Files.createDirectories(t) else Files.copy(p, t)
  }
}
def tag = 'localhost/it-dockerfile-source:1'
def build = { String logName ->
  // --network host: the build's Maven reaches Central through the host's resolver (a bridge network's DNS depends on
  // the machine's NAT setup, which is not what this IT tests)
  def cmd = podman(['build', '--network', 'host', '--format', 'docker', '-f', dockerfilePath, '--target', 'staging',
      '--build-arg', "BUILDER_IMAGE=${builder}", '--build-arg', "BASE_IMAGE=${base}",
      '--build-arg', 'MAVEN_ARGS=-Dmaven.repo.local.tail=/devplugin-repo', '--volume', "${tail}:/devplugin-repo:ro",
      '-t', tag, '.'])
  def p = cmd.collect { it.toString() }.execute(null, basedir)
  def out = new StringBuffer()
  p.waitForProcessOutput(out, out)
  new File(basedir, logName).text = out.toString()
  assert p.exitValue() == 0 : "podman build failed, see ${logName}:\n${out.toString().readLines().takeRight(60).join('\n')}"
  return out.toString()
}
// the steps of a podman build log, in the order they start: [instruction, from the cache?, output]. A step ends with
// "--> <id>", after "--> Using cache <id>" when it came from the cache; a COPY --from of a stage not built yet ends
// after that stage's steps (podman builds it then), so a stack matches ends to steps. FROM steps have no end line.
def steps = { String log ->
  def all = [], open = []
  def current = null
  log.readLines().each { line ->
    def m = line =~ /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: (.*)$/
    if (m.matches()) {
      current = [m.group(1), false, new StringBuilder()]
      all << current
      if (!current[0].startsWith('FROM ')) open << current
    } else if (line.startsWith('--> Using cache ')) {
      open[-1][1] = true
    } else if (line ==~ /--> [0-9a-f]{6,}/) {
      open.remove(open.size() - 1)
    } else if (current != null) {
      current[2].append(line).append('\n')
    }
  }
  return all.collect { [it[0], it[1], it[2].toString()] }
}
def name = 'it-dockerfile-source-' + ProcessHandle.current().pid()
def db = 'it_dockerfile_source_' + ProcessHandle.current().pid()
def pgUser = it.env('DEVPLUGIN_TEST_PG_USER'), pgPassword = it.env('DEVPLUGIN_TEST_PG_PASSWORD')
def pg = it.env('DEVPLUGIN_TEST_PG_ADMIN_URL') =~ /jdbc:postgresql:\/\/([^:\/]+):(\d+)\//
assert pg.find() : "unexpected DEVPLUGIN_TEST_PG_ADMIN_URL"
def (pgHost, pgPort) = [pg.group(1), pg.group(2)]
def psql = { String database, String sql ->
  def p = ['psql', '-X', '-qtA', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', database, '-v', 'ON_ERROR_STOP=1', '-c', sql]
      .execute(["PGPASSWORD=${pgPassword}", "PATH=${System.getenv('PATH')}"], basedir)
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  assert p.exitValue() == 0 : "psql failed: ${err}"
  return out.toString().trim()
}
def waitHealthy = { String container ->
  def healthy = false
  for (int i = 0; i < 60 && !healthy; i++) {
    healthy = podman(['healthcheck', 'run', container]).collect { it.toString() }.execute().waitFor() == 0
    if (!healthy) Thread.sleep(500)
  }
  assert healthy : "the HEALTHCHECK never passed: ${sh(podman(['logs', container]), false)}"
}
try {
  def first = build('podman-build-1.log')
  // the first build resolved from Central inside the build, and found devplugin in the mounted repository
  assert first.contains('Downloading from central') || first.contains('Downloaded from central')

  // the image config equals the Jib image's (devplugin:image, staging, as a tar on the same base)
  def jib = new JsonSlurper().parseText(sh(['skopeo', 'inspect', '--config',
      "docker-archive:${new File(basedir, 'target/devplugin/image.tar')}"])).config
  def inspect = new JsonSlurper().parseText(sh(podman(['image', 'inspect', tag])))[0]
  def built = inspect.Config
  assert built.User == jib.User && built.User == '10001:10001'
  assert built.Entrypoint == jib.Entrypoint
  assert built.Env.toSet() == jib.Env.toSet()
  assert built.ExposedPorts.keySet() == jib.ExposedPorts.keySet()
  def labels = new TreeMap(built.Labels)
  labels.remove('io.buildah.version')
  assert labels == new TreeMap(jib.Labels)
  assert built.WorkingDir == jib.WorkingDir
  assert inspect.Healthcheck.Test == ['CMD', 'java', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k',
      '-Xmx32m', '-cp', '/opt/devplugin/probe', 'io.github.devplugin.probe.HealthCheck', 'http://127.0.0.1:8080/health']

  // and the same files, modes and owners in the ImageLayout places (app, probe, migrator, the writable volume)
  sh(podman(['load', '-q', '-i', new File(basedir, 'target/devplugin/image.tar').path]))
  def jibTag = new JsonSlurper().parseText(sh(['tar', '-xOf', new File(basedir, 'target/devplugin/image.tar').path,
      'manifest.json']))[0].RepoTags[0]
  def listing = { String image ->
    def c = sh(podman(['create', image]))
    try {
      def tar = store.resolve("export-${c}.tar")
      sh(podman(['export', '-o', tar.toString(), c]))
      def entries = sh(['tar', '-tvf', tar.toString(), '--numeric-owner']).readLines().collect { l ->
        def f = l.split(/\s+/, 6)
        [f[0], f[1], f[5].replaceFirst(/^\.?\//, '').replaceFirst(/\/$/, '')]
      }.findAll { e -> ['app/', 'opt/devplugin/', 'var/lib/source-demo'].any { e[2].startsWith(it) } }
      Files.delete(tar)
      return entries.collect { it.join(' ') }.toSorted()
    } finally {
      sh(podman(['rm', '-f', c]), false)
    }
  }
  def fromDockerfile = listing(tag)
  def fromJib = listing(jibTag)
  assert fromDockerfile == fromJib
  assert fromDockerfile.any { it.endsWith('app/libs/commons-lang3-3.17.0.jar') }
  assert fromDockerfile.any { it.endsWith('app/classes/demo/App.class') }
  assert fromDockerfile.any { it.endsWith('app/resources/db/migration/V1__create_greetings.sql') }
  assert fromDockerfile.any { it.endsWith('opt/devplugin/probe/io/github/devplugin/probe/HealthCheck.class') }
  assert fromDockerfile.any { it.contains('opt/devplugin/migrate/flyway-core-') }
  assert fromDockerfile.any { it.startsWith('drwxr-xr-x 10001/10001 ') && it.endsWith('var/lib/source-demo') }

  // it runs: the HEALTHCHECK passes, as the non-root user, with the greeting of the dependency
  sh(podman(['run', '-d', '--name', name, '--network', 'none', tag]))
  waitHealthy(name)
  assert sh(podman(['top', name, 'huser'])).readLines().drop(1).every { it.trim() == '10001' }
  assert sh(podman(['logs', name])).contains('Greeting v1 on port 8080')
  sh(podman(['rm', '-f', name]))

  // the migrator of the source-built image migrates a real database (ImageLayout.migrateCommand)
  psql('postgres', "CREATE DATABASE ${db}")
  def migrate = podman(['run', '--rm', '--network', 'host', '--entrypoint', 'java',
      '-e', "DATABASE_URL=jdbc:postgresql://${pgHost}:${pgPort}/${db}", '-e', "DATABASE_USER=${pgUser}",
      '-e', 'DATABASE_PASSWORD', tag] + ['-XX:+UseSerialGC', '-Xmx128m', '-cp', '/opt/devplugin/migrate/*:/app/resources',
       'io.github.devplugin.db.MigratorMain']).collect { it.toString() }
  def mp = migrate.execute(["DATABASE_PASSWORD=${pgPassword}", "PATH=${System.getenv('PATH')}",
      "CONTAINERS_CONF=${System.getenv('CONTAINERS_CONF')}",
      "CONTAINERS_REGISTRIES_CONF=${System.getenv('CONTAINERS_REGISTRIES_CONF')}"], basedir)
  def mout = new StringBuffer()
  mp.waitForProcessOutput(mout, mout)
  assert mp.exitValue() == 0 : "the migrator failed: ${mout}"
  assert psql(db, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'greetings'") == '1'

  // a change of one source file: the dependency stage comes from the cache, the sources are built again
  def app = new File(basedir, 'src/main/java/demo/App.java')
  app.text = app.text.replace('"greeting v1"', '"greeting v2"')
  def second = steps(build('podman-build-2.log'))
  def sourcesAt = second.findIndexOf { it[0] == 'COPY . .' }
  assert sourcesAt > 0
  def goOffline = second.findIndexOf { it[0].contains(':go-offline') }
  assert goOffline >= 0 && goOffline < sourcesAt
  second.take(sourcesAt).each { s ->
    assert s[1] || s[0].startsWith('FROM ') : "not from the cache: ${s[0]}\n${s[2]}"
  }
  assert second[goOffline][1] : "the dependency step was not reused:\n${second[goOffline][2]}"
  assert !second[sourcesAt][1] : 'the changed sources were not copied again'
  // the package stage downloads nothing: the dependency stage holds what the build needs
  second.drop(sourcesAt).each { s -> assert !s[2].contains('Downloading from') : "downloaded in ${s[0]}:\n${s[2]}" }
  // in the image, the dependency layer is reused and the classes layer is new
  def copyOf = { String layer -> second.find { it[0].startsWith('COPY ') && it[0].contains(layer) } }
  assert copyOf('-dependencies/')[1] : "the dependency layer was copied again:\n${copyOf('-dependencies/')[2]}"
  assert !copyOf('-classes/')[1]
  sh(podman(['run', '-d', '--name', name, '--network', 'none', tag]))
  waitHealthy(name)
  assert sh(podman(['logs', name])).contains('Greeting v2 on port 8080')
} finally {
  sh(podman(['rm', '-f', name]), false)
  sh(podman(['rmi', '-a', '-f']), false)
  try { psql('postgres', "DROP DATABASE IF EXISTS ${db} WITH (FORCE)") } catch (Throwable e) { println "could not drop ${db}: ${e}" }
  sh(['rm', '-rf', store.toString()], false)
}
return true
