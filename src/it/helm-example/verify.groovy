// The example service's chart: written, linted, packaged and rendered by the real Helm in the goal; here checked
// against golden files, against kubectl kustomize of devplugin:k8s's output for every environment, and read back from
// the .tgz. Then the goal again with nothing changed, and the broken values file's failure.
import java.util.zip.GZIPInputStream

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def golden = evaluate(new File(basedir, '../../../src/it/golden.groovy'))
def log = new File(basedir, 'build.log').getText('UTF-8')
def runs = log.split(/(?m)^\[INFO\] Scanning for projects\.\.\.$/).findAll { it.contains('BUILD ') }.toList()
assert runs.size() == 3 : "expected three Maven runs, found ${runs.size()}"
def helmDir = new File(basedir, 'target/devplugin/helm')
def chart = new File(helmDir, 'notes')

// run 1: mvn package ran helm after k8s, with Helm's lint and the parity of every environment
assert runs[0] =~ /--- devplugin(?:-maven-plugin)?:[^:]+:helm \(default\) @/
assert runs[0].contains('Helm chart notes 1.0.0 (appVersion 1.0.0): ')
assert runs[0].contains('helm lint --strict clean; helm template of the .tgz renders the objects of devplugin:k8s for dev, prod, staging')
assert !runs[0].contains('[WARNING] helm') && !runs[0].contains('[ERROR]')
golden.check(basedir, 'target/devplugin/helm/notes', 'helm/notes', true)
// helm-java is no dependency of the published plugin (Maven would resolve its artifacts into the realm before every
// goal): the installed POM has it provided only, and the goal resolved it itself (maven.HelmLibrary)
def resolving = ~/\[INFO\] Resolving com\.marcnuri\.helm-java:helm-java:[^ ]+ \(Helm for devplugin:helm\) from the plugin repositories\./
assert runs[0].findAll(resolving).size() == 1 : 'run 1 did not resolve helm-java through the goal'
def pluginVersion = new groovy.xml.XmlSlurper().parse(new File(pluginXml)).version.text()
def publishedPom = new groovy.xml.XmlSlurper().parse(new File(localRepositoryPath,
    "io/github/devplugin/devplugin-maven-plugin/${pluginVersion}/devplugin-maven-plugin-${pluginVersion}.pom"))
def helmJava = publishedPom.dependencies.dependency.findAll { it.groupId.text() == 'com.marcnuri.helm-java' }
assert helmJava.size() == 1 && helmJava[0].scope.text() == 'provided' : "helm-java in the published POM: ${helmJava*.scope*.text()}"
// and the realm every goal resolves is the bundled jar plus the migrator layer's libraries, nothing else (README,
// "What the plugin jar holds"; a new dependency is bundled unless it must stay a jar of its own)
def runtime = publishedPom.dependencies.dependency.findAll { !(it.scope.text() in ['provided', 'test']) }
    .collect { "${it.groupId.text()}:${it.artifactId.text()}".toString() } as Set
assert runtime == ['org.flywaydb:flyway-core', 'org.flywaydb:flyway-database-postgresql',
    'org.postgresql:postgresql'] as Set : "the published POM's run-time dependencies: ${runtime}"

// kubectl kustomize renders devplugin:k8s's directory and, as a second kustomization, what helm template rendered:
// both through the same serializer, the only difference allowed is Helm's helm.sh/chart label. dev's directory is
// this build's (k8s is bound); staging's and prod's are the golden output of k8s-example, the same example service's
// k8s goal for those environments (its own IT proves them current), so this IT needs no further Maven runs
def kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find { new File(it).canExecute() } ?: 'kubectl'
def kustomize = { File dir ->
  def p = [kubectl, 'kustomize', dir.path].execute()
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  assert p.exitValue() == 0 : "kubectl kustomize ${dir} failed: ${err}"
  return out.toString()
}
['dev', 'staging', 'prod'].each { env ->
  def rendered = new File(helmDir, "rendered/${env}.yaml")
  assert rendered.isFile() : "no ${rendered}"
  def wrap = new File(basedir, "target/helm-kustomize/${env}")
  wrap.mkdirs()
  new File(wrap, 'rendered.yaml').text = rendered.text
  new File(wrap, 'kustomization.yaml').text = 'resources:\n- rendered.yaml\n'
  def plain = { String text -> text.readLines().findAll { !it.trim().startsWith('#') }.join('\n') }
  def fromHelm = plain(kustomize(wrap)).readLines().findAll { !it.trim().startsWith('helm.sh/chart:') }.join('\n')
  def k8sDir = env == 'dev' ? new File(basedir, 'target/devplugin/k8s/dev')
      : new File(basedir, "../../../src/it/k8s-example/expected/k8s/${env}").canonicalFile
  def fromK8s = plain(kustomize(k8sDir))
  assert fromHelm == fromK8s : "${env}: helm template differs from kubectl kustomize of target/devplugin/k8s/${env}"
  assert fromK8s.contains('kind: Deployment') && fromK8s.contains('secretKeyRef')
  assert !rendered.text.contains('kind: Secret\n') : "${env}: the chart renders a Secret"
}

// the .tgz holds the chart directory's files, byte for byte
def tgz = new File(helmDir, 'notes-1.0.0.tgz')
assert tgz.isFile() : "no packaged chart in ${helmDir.list()}"
def entries = [:]
def tar = new GZIPInputStream(new FileInputStream(tgz))
byte[] header = new byte[512]
while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
  def name = new String(header, 0, 100, 'UTF-8').replaceAll(/\u0000.*/, '')
  def size = Long.parseLong(new String(header, 124, 12, 'UTF-8').replaceAll(/[\u0000 ]/, '') ?: '0', 8)
  def type = (char) header[156]
  byte[] data = tar.readNBytes((int) size)
  tar.skipNBytes((512 - size % 512) % 512)
  if (type == '0' as char || type == (char) 0) entries[name] = data
}
tar.close()
def files = []
chart.eachFileRecurse(groovy.io.FileType.FILES) { files << chart.toPath().relativize(it.toPath()).toString() }
assert entries.keySet().collect { it.replaceFirst('^notes/', '') }.sort() == files.sort()
// helm package writes Chart.yaml again from its fields (no comments, keys sorted); every other file as it is
files.findAll { it != 'Chart.yaml' }.each { f ->
  assert entries["notes/${f}"] == new File(chart, f).bytes : "${f} differs in the .tgz"
}
def packagedChart = new String(entries['notes/Chart.yaml'], 'UTF-8')
['apiVersion: v2', 'name: notes', 'version: 1.0.0', 'appVersion: 1.0.0', 'type: application'].each {
  assert packagedChart.readLines().contains(it) : "the .tgz's Chart.yaml lacks '${it}':\n${packagedChart}"
}

// run 2: nothing changed, so the goal says the chart is up to date and Helm is not even resolved (helm-java's ~20 MB
// stay out of the build: lint, package and template did not run)
assert runs[1].contains('BUILD SUCCESS')
assert runs[1].contains('[INFO] Helm chart notes 1.0.0 is up to date (target/devplugin/helm/notes, target/devplugin/helm/notes-1.0.0.tgz).')
assert !(runs[1] =~ resolving) && !runs[1].contains('helm lint')

// run 3: the wrong type in a values file fails, naming the file, the key and the fix
assert runs[2].contains('BUILD FAILURE')
assert runs[2].contains('values-broken.yaml: values key deployment.replicas: got string, want integer (values.schema.json)')
assert runs[2].contains('Fix: give deployment.replicas a value of type integer')
assert !runs[2].contains('\tat io.github')

return true
