import groovy.json.JsonSlurper

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def sh = it.sh
def log = new File(basedir, 'build.log').text
def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
assert record.target == 'engine'
assert record.reference == 'it-image-engine:1.0.0'
assert log.contains('into the engine at ' + it.env('DEVPLUGIN_TEST_PODMAN_SOCKET'))
// the engine (Podman, through its socket) has the image, with the id jib computed
def inspect = new JsonSlurper().parseText(sh(['podman', 'image', 'inspect', 'localhost/it-image-engine:1.0.0']))[0]
assert 'sha256:' + inspect.Id == record.imageId
assert inspect.Config.User == '10001:10001'
// the tar base and the engine base gave images on the same JRE layers
def base = it.env('DEVPLUGIN_TEST_BASE_IMAGE')
assert log.contains("Base: ${base} exported from the engine at ")
// (uncompressed digests: a tar base's layers are compressed anew)
def layers = { String ref -> new JsonSlurper().parseText(sh(['skopeo', 'inspect', '--config', '--tls-verify=false', ref])).rootfs.diff_ids }
def fromTar = layers("docker-archive:${new File(basedir, 'target/from-tar.tar')}")
def fromEngine = layers("docker-archive:${new File(basedir, 'target/from-engine.tar')}")
def fromRegistry = layers("docker://${base}")
assert fromTar.size() == fromRegistry.size() + 2 : 'base layers, probe and classes'
assert fromTar.take(fromRegistry.size()) == fromRegistry
assert fromEngine.drop(fromEngine.size() - 2) == fromTar.drop(fromTar.size() - 2) : 'the same application layers'

def name = "it-image-engine-${ProcessHandle.current().pid()}"
def port = it.freePort()
try {
  sh(['podman', 'run', '-d', '--name', name, '--network', 'host', '-e', "PORT=${port}", 'localhost/it-image-engine:1.0.0'])
  assert it.httpStatus("http://127.0.0.1:${port}/health") == 200 : sh(['podman', 'logs', name], false)
  assert sh(['podman', 'top', name, 'huser']).readLines().drop(1).every { it.trim() == '10001' }
} finally {
  sh(['podman', 'rm', '-f', name], false)
  sh(['podman', 'rmi', '-f', 'localhost/it-image-engine:1.0.0'], false)
}
return true
