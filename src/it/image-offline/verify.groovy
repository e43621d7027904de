import groovy.json.JsonSlurper

try {
  def log = new File(basedir, 'build.log').text
  def from = new File(basedir, 'target/from.txt').text
  // build 1 went through the forwarder (probe and pull)
  assert new File(basedir, 'target/online-connections.txt').exists()
  // builds 2 and 3 made no connection at all
  def violations = new File(basedir, 'target/offline-violations.txt')
  assert !violations.exists() : "offline builds connected ${violations.readLines().size()} times"
  // build 2: from jib's cache, forced, written
  assert log.contains("Offline: the base image ${from} comes from jib's cache; no registry is contacted.")
  def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
  assert record.target == 'tar' && new File(basedir, 'target/devplugin/image.tar').isFile()
  def digests = (log =~ /Wrote .*image\.tar \(Docker format, [^)]*\): (sha256:[0-9a-f]{64})/).collect { m -> m[1] }
  assert digests.size() == 2 && digests[0] == digests[1] : "built online and offline, the same image: ${digests}"
  // build 3: the base image must be fetched, said with the fix
  assert log.contains("Maven runs offline (-o), and the base image ${from}")
  assert log.contains("is not in jib's base image cache")
  assert log.contains('Fix: build once without -o')
  assert !(log =~ /(?m)^\s+at [a-z]+\.[\w.$]+\(/) : 'no stack trace'
} catch (Throwable t) {
  // what the forwarder saw, with times (the build's log has them for its own side)
  def forwarded = new File(basedir, 'target/forwarder.log')
  println "image-offline: the forwarder's log (${forwarded}):\n${forwarded.exists() ? forwarded.text : '(none)'}"
  throw t
} finally {
  System.properties.remove('it.image-offline.server')?.close()
}
return true
