def it = evaluate(new File(basedir, '../../../src/it/adopt-support.groovy'))
def version = it.builtVersion(pluginXml)
def runs = it.runs(basedir)
assert runs.size() == 3 : "expected three Maven runs in build.log, found ${runs.size()}"
def upToDate = [
    image: ~/Image \S+ is up to date/,
    dockerfile: ~/Dockerfile \S+ is up to date/,
    k8s: ~/Kubernetes manifests for dev are up to date/,
    helm: ~/Helm chart \S+ \S+ is up to date/,
    compose: ~/Compose files in \S+ are up to date/,
    'verify-migrations': ~/Migrations are up to date/]
def plugin = { String log -> (log =~ /--- devplugin(?:-maven-plugin)?:(\S+):image \(default\)/).with { m -> m.find() ? m.group(1) : null } }
assert plugin(runs[0]) == version && plugin(runs[1]) == version
assert plugin(runs[2]) == "${version}-upgraded" : "run 3 did not run the upgraded plugin: ${plugin(runs[2])}"
upToDate.each { goal, line ->
  assert !(runs[0] =~ line) : "run 1 found ${goal} up to date before any work"
  assert runs[1] =~ line : "run 2 (same plugin, nothing changed) did not find ${goal} up to date"
  assert !(runs[2] =~ line) : "run 3 (upgraded plugin) skipped ${goal} as up to date instead of redoing it"
}
runs.each { assert it.contains('BUILD SUCCESS') }
it.assertOutputs(basedir)
return true
