def log = new File(basedir, 'build.log').text
def errors = (log =~ /(?s)\[ERROR\] Failed to execute goal(.*?)-> \[Help 1\]/).collect { it[1] }
def expected = [
  // 1. unreachable registry: fails at once, naming the registry and the -D property
  ['Cannot reach the target registry 127.0.0.1:1', '-Ddevplugin.image.to=127.0.0.1:1/it/image-bad', 'Fix:'],
  // 2. a plain-HTTP registry where plain HTTP is not allowed
  ['speaks plain HTTP, and plain HTTP is not allowed', '-Ddevplugin.image.insecure=true'],
  // 3. base image not found
  ['The base image', 'no-such-base:1 was not found', '-Ddevplugin.image.from'],
  // 4. invalid tag
  ["'-bad' is not a valid image tag", '-Ddevplugin.image.tags'],
  // 5. a tar path that cannot be written
  ['Cannot write the image tar /proc/devplugin/image.tar', '<image><tarFile>'],
  // 6. prod refuses mutable tags
  ["Tag '1.0.0-SNAPSHOT'", 'forbids mutable tags', '<tagStrategy>git-sha</tagStrategy>'],
  // 7. no main class configured, two candidates
  ['several classes have a main method: it.app.App, it.other.Tool', '<service><mainClass>'],
  // 8. a configured main class that does not exist
  ['The main class it.app.Missing (from <service><mainClass>) is not on the image\'s class path', 'Fix: set <service><mainClass>'],
]
assert errors.size() == expected.size() : "expected ${expected.size()} failures, got ${errors.size()}:\n${errors.join('\n')}"
expected.eachWithIndex { parts, i ->
  parts.each { p -> assert errors[i].contains(p) : "failure ${i + 1} lacks '${p}': ${errors[i]}" }
}
assert !(log =~ /(?m)^\s+at [a-z]+\.[\w.$]+\(/) : 'no stack trace'
assert !log.contains('Exception:') : 'no exception class names in the messages'
return true
