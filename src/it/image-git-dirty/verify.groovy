import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def revision = new File(basedir, 'target/revision.txt').text.trim()
def sha = revision.take(7)
// build 1 (dev): the git-sha tag says the tree was dirty, the revision label names the commit
def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
assert record.tags == ['1.0.0', "${sha}-dirty".toString()] : record.tags
assert log.contains("the git-sha tag is ${sha}-dirty, which is mutable")
def config = new JsonSlurper().parseText(['skopeo', 'inspect', '--config',
    "docker-archive:${new File(basedir, 'target/devplugin/image.tar')}"].execute().text)
assert config.config.Labels['org.opencontainers.image.revision'] == revision
// project.build.outputTimestamp: the creation time, and every file of the application's layer
assert config.created == '2024-01-01T00:00:00Z'
def manifest = new JsonSlurper().parseText(['tar', '-xOf', new File(basedir, 'target/devplugin/image.tar').path,
    'manifest.json'].execute().text)[0]
def classes = manifest.Layers.last()
def layerTar = new File(basedir, 'target/classes-layer.tar.gz')
layerTar.bytes = ['tar', '-xOf', new File(basedir, 'target/devplugin/image.tar').path, classes].execute().inputStream.bytes
def entries = ['tar', '--utc', '-tvzf', layerTar.path].execute().text.readLines()
assert entries.size() >= 4 : entries
assert entries.every { it.contains('2024-01-01 00:00') } : entries.join('\n')
assert entries.any { it.endsWith('app/classes/it/app/App.class') }
// build 2 (prod): refused, naming the fix
assert log.contains("Tag '${sha}-dirty' from <image><tagStrategy> git-sha, on a work tree with uncommitted changes is mutable")
assert log.contains('Fix: commit or stash the changes')
assert !(log =~ /(?m)^\s+at [a-z]+\.[\w.$]+\(/) : 'no stack trace'
return true
