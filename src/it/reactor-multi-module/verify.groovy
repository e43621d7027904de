import groovy.json.JsonSlurper

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def sh = it.sh
def registry = it.env('DEVPLUGIN_TEST_REGISTRY')
def log = new File(basedir, 'build.log').text
def golden = evaluate(new File(basedir, '../../../src/it/golden.groovy'))

// the library and the aggregator POM are skipped by every goal, one line each saying why; nothing written for them
['image', 'dockerfile', 'k8s', 'compose'].each { goal ->
  assert log.contains("Skipping devplugin:${goal}: lib is a library, not a service: <service><mainClass> is not set")
  assert log.contains("Skipping devplugin:${goal}: shop has pom packaging")
}
assert !new File(basedir, 'lib/target/devplugin/image.json').exists()
assert !new File(basedir, 'lib/target/devplugin/docker/Dockerfile').exists()
assert !new File(basedir, 'lib/target/devplugin/k8s').exists() && !new File(basedir, 'lib/target/devplugin/compose').exists()
assert !new File(basedir, 'target/devplugin/image.json').exists()

// one image per service module, in the registry
def records = ['svc-a', 'svc-b'].collectEntries { m ->
  def r = new JsonSlurper().parse(new File(basedir, "${m}/target/devplugin/image.json"))
  assert r.image == "${registry}/it-reactor-multi-module/${m}"
  assert r.reference ==~ /.*@sha256:[0-9a-f]{64}/
  assert new File(basedir, "${m}/target/devplugin/docker/Dockerfile").isFile()
  [m, r]
}
// the layers of each image, read from the registry: the library's jar in a layer of its own, each service's classes
// in another
def layers = { String module, String reference ->
  def oci = new File(basedir, "target/oci-${module}")
  oci.deleteDir()
  sh(['skopeo', 'copy', '-q', '--src-tls-verify=false', "docker://${reference}", "oci:${oci}"])
  def blob = { String digest -> new File(oci, 'blobs/sha256/' + digest.substring('sha256:'.length())) }
  def index = new JsonSlurper().parse(new File(oci, 'index.json'))
  def manifest = new JsonSlurper().parse(blob(index.manifests[0].digest))
  manifest.layers.collect { l ->
    sh(['tar', '-tzf', blob(l.digest).path]).readLines().collect { it.replaceFirst(/^\.?\//, '') }
        .findAll { !it.endsWith('/') }
  }
}
def a = layers('svc-a', records['svc-a'].reference)
def libLayers = a.findAll { l -> l.any { it.endsWith('/lib-1.0.0.jar') } }
assert libLayers.size() == 1 && libLayers[0] == ['app/libs/lib-1.0.0.jar'] : "svc-a: the library's jar alone in one layer: ${a}"
def aClasses = a.findAll { l -> l.any { it == 'app/classes/it/reactor/a/App.class' } }
assert aClasses.size() == 1 && !aClasses[0].any { it.contains('lib-1.0.0') } : "svc-a's classes in a layer of their own: ${a}"
def b = layers('svc-b', records['svc-b'].reference)
assert !b.flatten().any { it.contains('lib-1.0.0.jar') } : "svc-b does not use the library: ${b}"
assert b.findAll { l -> l.any { it == 'app/classes/it/reactor/b/App.class' } }.size() == 1

// both images run: /health answers 200; svc-a answers with the library's greeting
it.env('CONTAINERS_CONF')
def names = []
try {
  records.each { m, r ->
    def port = it.freePort()
    def name = "it-reactor-${m}-${ProcessHandle.current().pid()}"
    sh(['podman', 'pull', '-q', '--tls-verify=false', r.reference])
    sh(['podman', 'run', '-d', '--name', name, '--network', 'host', '-e', "PORT=${port}", r.reference])
    names << name
    def status = it.httpStatus("http://127.0.0.1:${port}/health")
    assert status == 200 : "${m}: GET /health answered ${status}; logs: ${sh(['podman', 'logs', name], false)}"
    if (m == 'svc-a') {
      assert new URL("http://127.0.0.1:${port}/").text == 'hello from the library to svc-a'
    }
  }
} finally {
  names.each { sh(['podman', 'rm', '-f', it], false) }
}

// one compose stack of both services under the root's target/devplugin/compose, schema-validated by the goal
def compose = new File(basedir, 'target/devplugin/compose')
assert log.contains('docker-compose.yml, docker-compose.override.yml, docker-compose.prod.yml,'
    + ' docker-compose.staging.yml, .env.example in ' + compose.canonicalPath
    + ': the one stack of the services svc-a, svc-b of this build; validated against the Compose Specification schema.')
golden.check(basedir, 'target/devplugin/compose', 'compose', true)
golden.check(basedir, 'target/devplugin/compose/.env.example', 'compose/.env.example', true)
// a real compose client reads it: both services, one Redis, no host port twice
new File(compose, '.env').text = new File(compose, '.env.example').text
def p = ['docker-compose', '-p', 'itreactor', 'config'].execute(null, compose)
def out = new StringBuffer(), err = new StringBuffer()
p.waitForProcessOutput(out, err)
assert p.exitValue() == 0 : "docker-compose config: ${err}"
def config = out.toString()
['svc-a:', 'svc-b:', 'redis:'].each { assert config.contains("\n  ${it}\n") : "${it} missing:\n${config}" }
def published = (config =~ /published: '?(\d+)'?/).collect { it[1] }
assert published.size() == published.unique(false).size() : "a host port used twice: ${published}"
new File(compose, '.env').delete()

// one kustomization per environment over both services, rendered by the real kubectl
def kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find { new File(it).canExecute() } ?: 'kubectl'
['dev', 'staging', 'prod'].each { env ->
  assert log.contains("Kustomization of the ${env} environment over the services svc-a, svc-b of this build: ")
  def k = [kubectl, 'kustomize', new File(basedir, "target/devplugin/k8s/${env}").path].execute()
  def rendered = new StringBuffer(), kerr = new StringBuffer()
  k.waitForProcessOutput(rendered, kerr)
  assert k.exitValue() == 0 : "kubectl kustomize ${env}: ${kerr}"
  def text = rendered.toString()
  ['svc-a', 'svc-b'].each { m ->
    assert text =~ /(?s)kind: Deployment\nmetadata:.*?\n  name: ${m}\n/ : "${env}: no Deployment ${m}"
    assert text =~ /(?s)kind: Service\nmetadata:.*?\n  name: ${m}\n/ : "${env}: no Service ${m}"
  }
  assert text.count('\nkind: Deployment\n') == 2 && text.count('\nkind: Service\n') == 2 : text
  if (env == 'dev') {
    new File(basedir, 'target/kustomize-dev.yaml').text = text
    golden.check(basedir, 'target/kustomize-dev.yaml', 'kustomize-dev.yaml', true)
  }
}

// 2: resumed at svc-b, nothing changed, nothing done; the merge still holds svc-a (from build 1's fragment)
assert log.contains('Image ' + records['svc-b'].reference + ' is up to date')
assert log.count("The reactor's compose stack in ${compose.canonicalPath} is up to date (services svc-a, svc-b).") == 1
assert log.count('The dev kustomization of the services svc-a, svc-b is up to date') == 1
assert log.count(': the one stack of the services svc-a, svc-b of this build') == 1
return true
