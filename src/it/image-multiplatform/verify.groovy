import groovy.json.JsonSlurper
import java.security.MessageDigest

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def sh = it.sh
def log = new File(basedir, 'build.log').text
def repo = "${it.env('DEVPLUGIN_TEST_REGISTRY')}/it/image-multiplatform"
def sha256 = { byte[] b -> 'sha256:' + MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }

// 1. the registry holds a manifest list with both platforms; the record's digest is the list's
def pushed = (log =~ /Pushed \S+ with tags 1\.0\.0: (sha256:[0-9a-f]{64})/)
assert pushed.find() : 'the registry build ran'
def listDigest = pushed.group(1)
def raw = sh(['skopeo', 'inspect', '--raw', '--tls-verify=false', "docker://${repo}:1.0.0"])
assert sha256(raw.getBytes('UTF-8')) == listDigest
def list = new JsonSlurper().parseText(raw)
assert list.mediaType == 'application/vnd.docker.distribution.manifest.list.v2+json'
assert list.manifests*.platform.collect { "${it.os}/${it.architecture}" }.sort() == ['linux/amd64', 'linux/arm64']
// each platform's image has the app and the platform's config
['amd64', 'arm64'].each { arch ->
  def cfg = new JsonSlurper().parseText(sh(['skopeo', 'inspect', '--config', '--tls-verify=false',
      '--override-arch', arch, "docker://${repo}:1.0.0"]))
  assert cfg.architecture == arch
  assert cfg.config.User == '10001:10001'
  assert cfg.config.Entrypoint[-1] == 'it.app.App'
}

// 2. the OCI image-index tar: index.json names an image index with both platforms' manifests
def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
assert record.target == 'tar' && record.platforms == ['linux/amd64', 'linux/arm64']
def tar = new File(record.tarFile)
def index = new JsonSlurper().parseText(sh(['tar', '-xOf', tar.path, 'index.json']))
assert index.manifests.size() == 1
assert index.manifests[0].mediaType == 'application/vnd.oci.image.index.v1+json'
assert index.manifests[0].digest == record.digest
assert index.manifests[0].annotations['org.opencontainers.image.ref.name'] == '1.0.0'
def nestedBytes = sh(['tar', '-xOf', tar.path, "blobs/sha256/${record.digest.substring(7)}"]).getBytes('UTF-8')
assert sha256(nestedBytes) == record.digest
def nested = new JsonSlurper().parse(nestedBytes)
assert nested.manifests*.platform.collect { "${it.os}/${it.architecture}" } == ['linux/amd64', 'linux/arm64']
nested.manifests.each { m ->
  def manifest = new JsonSlurper().parseText(sh(['tar', '-xOf', tar.path, "blobs/sha256/${m.digest.substring(7)}"]))
  assert manifest.mediaType == 'application/vnd.oci.image.manifest.v1+json'
  def config = new JsonSlurper().parseText(sh(['tar', '-xOf', tar.path, "blobs/sha256/${manifest.config.digest.substring(7)}"]))
  assert "${config.os}/${config.architecture}" == "${m.platform.os}/${m.platform.architecture}"
}
// skopeo reads the tar as an OCI archive too
sh(['skopeo', 'inspect', '--raw', "oci-archive:${tar.path}"])
return true
