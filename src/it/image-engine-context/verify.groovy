import groovy.json.JsonSlurper

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def socket = it.env('DEVPLUGIN_TEST_PODMAN_SOCKET')
def log = new File(basedir, 'build.log').text
try {
  def config = new File(basedir, 'docker-config/config.json').canonicalPath
  assert log.contains("Container engine: ${socket} (Docker context 'it-podman' (currentContext in ${config}, ")
  def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
  assert record.target == 'engine'
  def inspect = new JsonSlurper().parseText(it.sh(['podman', 'image', 'inspect',
      'localhost/it-image-engine-context:1.0.0']))[0]
  assert 'sha256:' + inspect.Id == record.imageId
} finally {
  it.sh(['podman', 'rmi', '-f', 'localhost/it-image-engine-context:1.0.0'], false)
}
return true
