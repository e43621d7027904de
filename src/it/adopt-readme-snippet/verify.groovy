def it = evaluate(new File(basedir, '../../../src/it/adopt-support.groovy'))
it.assertOutputs(basedir)
def log = new File(basedir, 'build.log').getText('UTF-8')
// each goal ran in its default phase, from the one execution the snippet declares, in the order listed
def ran = (log =~ /--- devplugin(?:-maven-plugin)?:[^:]+:([a-z0-9-]+) \(default\) @/).collect { it[1] }
assert ran == ['image', 'dockerfile', 'k8s', 'helm', 'compose', 'verify-migrations'] : "goals run by mvn verify: ${ran}"
assert log.contains('BUILD SUCCESS')
// the migrations were checked (V1 applied and undone), not skipped
assert !log.contains('Skipping devplugin:verify-migrations')
def image = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
assert image.reference : "image.json holds no reference: ${image}"
return true
