// a forwarder to the test registry counts connections: once build 1 has written image.json, every connection is a
// violation of offline mode (recorded in target/offline-violations.txt and refused)
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def net = evaluate(new File(basedir, '../../../src/it/net-support.groovy'))
def registry = it.env('DEVPLUGIN_TEST_REGISTRY')
def base = it.env('DEVPLUGIN_TEST_BASE_IMAGE')
assert base.startsWith(registry + '/')
def record = new File(basedir, 'target/devplugin/image.json')
def violations = new File(basedir, 'target/offline-violations.txt')
def online = new File(basedir, 'target/online-connections.txt')
violations.parentFile.mkdirs()
def server = net.forwarder(registry.split(':')[0], registry.split(':')[1] as int) { ->
  if (record.exists()) {
    synchronized (violations) { violations << 'connection\n' }
    return false
  }
  synchronized (online) { online << 'connection\n' }
  return true
}
System.properties.put('it.image-offline.server', server)
def from = "127.0.0.1:${server.localPort}/" + base.substring(registry.length() + 1)
it.mavenConfig(basedir, ["-Ddevplugin.image.from=${from}".toString()])
new File(basedir, 'target/from.txt').text = from
return true
