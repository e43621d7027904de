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
def warming = true
def server = net.forwarder(registry.split(':')[0], registry.split(':')[1] as int, { ->
  if (warming) {
    return true
  }
  if (record.exists()) {
    synchronized (violations) { violations << 'connection\n' }
    return false
  }
  synchronized (online) { online << 'connection\n' }
  return true
}, new File(basedir, 'target/forwarder.log'))
// one request through the forwarder before the builds (not counted): it answers, and its code paths have run once
new Socket(InetAddress.getLoopbackAddress(), server.localPort).withCloseable { s ->
  s.soTimeout = 30_000
  s.outputStream << "GET /v2/ HTTP/1.1\r\nHost: ${registry}\r\nConnection: close\r\n\r\n"
  s.outputStream.flush()
  def status = new BufferedReader(new InputStreamReader(s.inputStream, 'US-ASCII')).readLine()
  assert status?.startsWith('HTTP/1.1 ') : "the forwarder to ${registry} answered ${status}"
}
warming = false
System.properties.put('it.image-offline.server', server)
def from = "127.0.0.1:${server.localPort}/" + base.substring(registry.length() + 1)
it.mavenConfig(basedir, ["-Ddevplugin.image.from=${from}".toString()])
new File(basedir, 'target/from.txt').text = from
return true
