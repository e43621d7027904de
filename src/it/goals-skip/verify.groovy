// devplugin.<goal>.skip and devplugin.skip: every goal of the plugin (help aside) logged that it skipped, once for its
// own property (first invocation) and once for devplugin.skip (second), and none wrote anything.
def log = new File(basedir, 'build.log').text
def descriptor = new groovy.xml.XmlSlurper().parse(new File(pluginXml))
def goals = descriptor.mojos.mojo.collect { it.goal.text() }.findAll { it != 'help' }
assert goals.size() >= 10 : goals
def problems = []
goals.each { goal ->
  def own = "Skipping devplugin:${goal}: devplugin.${goal}.skip is true.".toString()
  def all = "Skipping devplugin:${goal}: devplugin.skip is true.".toString()
  if (log.count(own) != 1) problems << "${goal}: '${own}' logged ${log.count(own)} times, not once (invoker.properties runs each goal with it)"
  if (log.count(all) != 1) problems << "${goal}: '${all}' logged ${log.count(all)} times, not once"
}
assert problems.isEmpty() : problems.join('\n')
assert log.count('BUILD SUCCESS') == 2
// nothing written: no target/ at all (the config goal alone would write target/devplugin/config-dev.json)
def target = new File(basedir, 'target')
assert !target.exists() : "skipped goals wrote ${target.exists() ? target.listFiles()*.name : ''}"
return true
