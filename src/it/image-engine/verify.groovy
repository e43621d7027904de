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
