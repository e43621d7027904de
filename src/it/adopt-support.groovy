// Shared by adopt-readme-snippet and upgrade-plugin-version: evaluate(new File(basedir, '../../../src/it/adopt-support.groovy'))
// returns a map of helpers. The README's "Adding the plugin" snippet is the block between the markers
// <!-- adopt-snippet:start ... --> and <!-- adopt-snippet:end --> of README.md; a change there that breaks it breaks
// these ITs.
import java.nio.file.*

def repo = { File basedir -> new File(basedir, '../../..').canonicalFile }

// the README's snippet, as is (the XML between the fences)
def snippet = { File basedir ->
  def readme = new File(repo(basedir), 'README.md').getText('UTF-8')
  def m = readme =~ /(?s)<!-- adopt-snippet:start[^>]*-->\s*```xml\n(.*?)```\s*<!-- adopt-snippet:end -->/
  assert m.find() : 'README.md has no ```xml block between <!-- adopt-snippet:start --> and <!-- adopt-snippet:end -->'
  return m.group(1)
}

// the version of the plugin this build made, from its descriptor
def builtVersion = { String pluginXml -> new groovy.xml.XmlSlurper().parse(new File(pluginXml)).version.text() }

// pastes xml where the project's POM says <!-- README snippet -->
def paste = { File basedir, String xml ->
  def pom = new File(basedir, 'pom.xml')
  def text = pom.getText('UTF-8')
  assert text.contains('<!-- README snippet -->') : "${pom} has no <!-- README snippet --> marker"
  pom.setText(text.replace('<!-- README snippet -->', xml.trim()), 'UTF-8')
}

// -D properties for the IT's Maven runs, through .mvn/maven.config (invoker.properties cannot read the environment)
def mavenConfig = { File basedir, List<String> args ->
  new File(basedir, '.mvn').mkdirs()
  new File(basedir, '.mvn/maven.config').text = args.join('\n') + '\n'
}

// what a user's machine adds to the snippet: the base image the tests have (the README's default,
// eclipse-temurin:17-jre, needs Docker Hub) and, the service having migrations, its database's URL (as the README says)
def userArgs = {
  def tar = System.getenv('DEVPLUGIN_TEST_BASE_TAR')
  if (!tar) {
    throw new AssertionError('DEVPLUGIN_TEST_BASE_TAR is not set: run scripts/test-env.sh up and'
        + ' eval "$(scripts/test-env.sh env)" before ./mvnw verify')
  }
  return ["-Ddevplugin.image.from=tar://${tar}", '-Ddevplugin.db.url=jdbc:postgresql://notes-db:5432/notes']
}

// what `mvn verify` with the snippet bound must have written
def assertOutputs = { File basedir ->
  def out = new File(basedir, 'target/devplugin')
  ['image.tar', 'image.json', 'docker/Dockerfile', 'docker/.dockerignore', 'compose/docker-compose.yml',
   'k8s/dev/manifests.yaml', 'k8s/dev/kustomization.yaml', 'helm/notes/Chart.yaml', 'stamps/verify-migrations.fingerprint'].each {
    assert new File(out, it).isFile() : "mvn verify with the README's snippet did not write target/devplugin/${it}"
  }
}

// the log of each Maven run of a multi-step IT (build.log holds them one after the other)
def runs = { File basedir ->
  def log = new File(basedir, 'build.log').getText('UTF-8')
  return log.split(/(?m)^\[INFO\] Scanning for projects\.\.\.$/).findAll { it.contains('BUILD ') }.toList()
}

return [repo: repo, snippet: snippet, builtVersion: builtVersion, paste: paste, mavenConfig: mavenConfig,
        userArgs: userArgs, assertOutputs: assertOutputs, runs: runs]
