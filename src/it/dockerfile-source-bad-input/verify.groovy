def log = new File(basedir, 'build.log').text
def errors = (log =~ /(?s)\[ERROR\] Failed to execute goal(.*?)-> \[Help 1\]/).collect { it[1] }
def expected = [
  // 1. not a mode: the -D property, the choices
  ["-Ddevplugin.dockerfile.mode: 'sources' is not one of staged, source."],
  // 2. a module whose parent is part of the source tree: the staged mode is the way
  ['<image><dockerfile><mode>source</mode> builds a single-module project', 'source-bad-app inherits from',
   '<image><dockerfile><mode>staged</mode>'],
]
assert errors.size() == expected.size() : "expected ${expected.size()} failures, got ${errors.size()}:\n${errors.join('\n')}"
expected.eachWithIndex { parts, i ->
  parts.each { p -> assert errors[i].contains(p) : "failure ${i + 1} lacks '${p}': ${errors[i]}" }
}
assert !log.contains('\tat io.github.devplugin') : 'a stack trace was printed'
assert !new File(basedir, 'app/target/devplugin/docker/Dockerfile.source').exists()
return true
