// Until devplugin:image and the migrator exist (compose-engine-e2e in src/it-pending waits for them), this IT
// assembles the service's image itself from real parts: the test environment's JRE with the debug agent (no shell,
// no curl), the example service compiled from example-project/, the PostgreSQL driver, and devplugin's health probe
// taken from the plugin jar under test, laid out as ImageLayout says. It records the image in
// target/devplugin/image.json as the image goal would, so that devplugin:compose deploys it by digest.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

def copyTree = { File from, File to ->
  Path src = from.toPath()
  Files.walk(src).withCloseable { s ->
    s.forEach { Path p ->
      Path t = to.toPath().resolve(src.relativize(p).toString())
      if (Files.isDirectory(p)) {
        Files.createDirectories(t)
      } else {
        Files.createDirectories(t.parent)
        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING)
      }
    }
  }
}

def registry = System.getenv('DEVPLUGIN_TEST_REGISTRY')
def base = System.getenv('DEVPLUGIN_TEST_DEBUG_BASE_IMAGE')
if (!registry || !base) {
  throw new AssertionError('DEVPLUGIN_TEST_REGISTRY / DEVPLUGIN_TEST_DEBUG_BASE_IMAGE are not set. Run:'
      + ' scripts/test-env.sh up && eval "$(scripts/test-env.sh env)", then the build again.')
}
def sh = { List cmd ->
  def p = new ProcessBuilder(cmd.collect { it.toString() }).redirectErrorStream(true).start()
  def out = p.inputStream.text
  if (p.waitFor() != 0) {
    throw new AssertionError("${cmd.join(' ')} failed:\n${out}")
  }
  out
}
copyTree(new File(basedir, '../../../example-project/src/main'), new File(basedir, 'src/main'))

def repo = new File(localRepositoryPath.toString())
def pgjdbc = new File(repo, 'org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar')
assert pgjdbc.isFile() : "${pgjdbc} (installed into the IT repository with the plugin's dependencies)"
def pluginJar = new File(repo, 'io/github/devplugin/devplugin-maven-plugin').listFiles().findAll { it.isDirectory() }
    .collectMany { d -> d.listFiles().findAll { it.name ==~ /devplugin-maven-plugin-[^-]+(-SNAPSHOT)?\.jar/ } }[0]
assert pluginJar : 'the plugin jar under test'

def work = new File(basedir, 'target/fixture-image')
work.deleteDir()
def rootfs = new File(work, 'bundle/rootfs')
def classes = new File(work, 'classes')
classes.mkdirs()
def javaFiles = []
new File(basedir, 'src/main/java').eachFileRecurse { if (it.name.endsWith('.java')) javaFiles << it }
def javac = new File(System.getProperty('java.home'), 'bin/javac').isFile()
    ? new File(System.getProperty('java.home'), 'bin/javac') : 'javac'
sh([javac, '--release', '17', '-d', classes, '-cp', pgjdbc] + javaFiles)

sh(['skopeo', 'copy', '-q', '--src-tls-verify=false', "docker://${base}", "oci:${work}/oci:img"])
sh(['umoci', 'unpack', '--image', "${work}/oci:img", "${work}/bundle"])
def app = new File(rootfs, 'app')
copyTree(classes, new File(app, 'classes'))
copyTree(new File(basedir, 'src/main/resources'), new File(app, 'resources'))
new File(app, 'libs').mkdirs()
Files.copy(pgjdbc.toPath(), new File(app, 'libs/' + pgjdbc.name).toPath())
new java.util.zip.ZipFile(pluginJar).withCloseable { zip ->
  zip.entries().findAll { !it.directory && it.name.startsWith('io/github/devplugin/probe/') }.each { e ->
    def t = new File(rootfs, 'opt/devplugin/probe/' + e.name)
    t.parentFile.mkdirs()
    t.bytes = zip.getInputStream(e).bytes
  }
}
sh(['umoci', 'repack', '--image', "${work}/oci:img", "${work}/bundle"])
sh(['umoci', 'config', '--image', "${work}/oci:img", '--config.user', '10001:10001',
    '--config.entrypoint', 'java', '--config.entrypoint', '-cp',
    '--config.entrypoint', '/app/resources:/app/classes:/app/libs/*',
    '--config.entrypoint', 'io.github.devplugin.example.NotesService'])
def image = "${registry}/it/compose-stack"
def tag = "it-${ProcessHandle.current().pid()}"
sh(['skopeo', 'copy', '-q', '--dest-tls-verify=false', "oci:${work}/oci:img", "docker://${image}:${tag}"])
def digest = sh(['skopeo', 'inspect', '--tls-verify=false', '--format', '{{.Digest}}', "docker://${image}:${tag}"]).trim()
assert digest.startsWith('sha256:')
def record = new File(basedir, 'target/devplugin/image.json')
record.parentFile.mkdirs()
record.text = groovy.json.JsonOutput.prettyPrint(groovy.json.JsonOutput.toJson([image: image, tags: [tag],
    digest: digest, reference: "${image}@${digest}".toString(), target: 'registry', platforms: ['linux/amd64']]))
work.deleteDir()
return true
