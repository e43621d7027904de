import groovy.json.JsonSlurper

try {
  def counts = System.properties.get('it.image-proxy.counts')
  def log = new File(basedir, 'build.log').text
  def registry = 'registry.it-proxy.invalid:' + System.getenv('DEVPLUGIN_TEST_REGISTRY').split(':')[1]
  // the registry probes went to the proxy, and jib's pull and push through it, with the settings' login
  assert log.contains("Proxy for the base image's registry ${registry}: settings.xml proxy 'it-proxy' (127.0.0.1:")
  assert log.contains("Proxy for the target registry ${registry}: settings.xml proxy 'it-proxy'")
  // jib tries HTTPS first: its CONNECT was refused (407) until it sent the settings' login
  assert (counts.unauthenticated ?: 0) >= 1 && (counts.authenticated ?: 0) >= 1 : "requests through the proxy: ${counts}"
  assert counts.targets.contains(registry) : "the proxy carried nothing to the registry: ${counts}"
  def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
  assert record.reference.startsWith("${registry}/it-image-proxy/app@sha256:")
  // the proxy's password never shows
  assert !log.contains('it-proxy-password-4b8e')
} finally {
  System.properties.remove('it.image-proxy.server')?.close()
  System.properties.remove('it.image-proxy.counts')
}
return true
