// devplugin:help -Ddetail documents every goal and every parameter, then every configuration key (checked against
// the model, ConfigKeys); each parameter has a description and, unless it is a nested configuration element, a -D
// property. Each parameter (shared ones included) is looked for in its own goal's section of the help output (from
// "devplugin:<goal>" to the next goal's header), with its own "User property:" line, not anywhere in the log.
// two runs in one build.log: help -Ddetail, then help -Ddetail -Dgoal=image
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] BUILD SUCCESS/)
assert runs.length == 3 : "expected two successful help runs, found ${runs.length - 1}"
def log = runs[0]
def descriptor = new groovy.xml.XmlSlurper().parse(new File(pluginXml))
// the reference part of the help text (after the last goal), checked against the configuration model itself
def reference = { String text ->
  int at = text.indexOf('Configuration keys (configuration.html on the plugin site):')
  assert at >= 0 : 'no configuration reference in the help output'
  return text.substring(at).readLines()
}
def classes = new File(pluginXml).parentFile.parentFile.parentFile
def keys = new URLClassLoader([classes.toURI().toURL()] as URL[], (ClassLoader) null)
    .loadClass('io.github.devplugin.config.ConfigKeys').getMethod('all').invoke(null)
assert keys.size() > 150
def fullReference = reference(log)
keys.each { k ->
  int at = fullReference.findIndexOf { it.startsWith('  ' + k.element() + ' (') }
  assert at >= 0 : "help -Ddetail lacks the key ${k.element()}"
  def body = fullReference.drop(at + 1).takeWhile { it.startsWith('    ') }*.trim()
  assert body.any { it.startsWith('Environments: ') } : "${k.element()}: no environment behaviour in ${body}"
  k.property().ifPresent { p -> assert body.contains('Property: -D' + p) : "${k.element()}: no -D${p} in ${body}" }
  if (k.defaultValue() != null) assert body.any { it.startsWith('Default: ') } : "${k.element()}: no default"
}
// -Dgoal=image: that goal alone, with the keys it reads
def imageRun = runs[1]
assert imageRun.readLines().findAll { it ==~ /^devplugin:[a-z0-9-]+$/ } == ['devplugin:image']
def imageReference = reference(imageRun)
assert imageReference.contains('  <image><to> (text)')
assert imageReference.contains('    Property: -Ddevplugin.image.to')
assert imageReference.contains('  <service><port> (whole number)')
assert !imageReference.any { it.startsWith('  <kubernetes>') } : 'devplugin:image lists keys it does not read'
assert imageRun.readLines().contains('    imageTo')

def lines = log.readLines()
def sections = [:]
def current = null
lines.each { line ->
  def header = line =~ /^devplugin:([a-z0-9-]+)$/
  if (header.matches()) {
    current = header.group(1)
    assert !sections.containsKey(current) : "goal ${current} appears twice in the help output"
    sections[current] = []
  } else if (current != null) {
    sections[current] << line
  }
}
def goals = descriptor.mojos.mojo.collect { it.goal.text() }
assert sections.keySet() == goals as Set : "help sections ${sections.keySet()} differ from the goals ${goals}"

// a parameter's entry in a section: its name (and its default) on a line of its own indented by 4, then its description lines indented
// by 6, up to the next line indented by 4 or less
def entry = { List<String> section, String name ->
  int at = section.findIndexOf { it == '    ' + name || it.startsWith('    ' + name + ' (Default: ') }
  if (at < 0) return null
  def body = []
  for (int i = at + 1; i < section.size() && (section[i].isEmpty() || section[i].startsWith('      ')); i++) {
    body << section[i].trim()
  }
  return body
}
def problems = []
descriptor.mojos.mojo.each { mojo ->
  def goal = mojo.goal.text()
  if (!mojo.description.text().trim()) problems << "goal ${goal} has no description"
  def section = sections[goal] ?: []
  mojo.parameters.parameter.findAll { it.editable.text() == 'true' }.each { p ->
    def name = p.name.text()
    if (!p.description.text().trim()) problems << "${goal}: parameter ${name} has no javadoc"
    def isNested = p.type.text() == 'org.codehaus.plexus.configuration.PlexusConfiguration'
    def expression = mojo.configuration."${name}".text()
    if (!isNested && goal != 'help' && !expression.startsWith('${devplugin.')) {
      problems << "${goal}: parameter ${name} has no devplugin.* property (${expression})"
    }
    if (goal == 'help') return
    def body = entry(section, name)
    if (body == null) {
      problems << "${goal}: parameter ${name} missing from the goal's own help section"
    } else if (expression.startsWith('${')) {
      def property = expression.substring(2, expression.length() - 1)
      if (!body.contains("User property: ${property}".toString())) {
        problems << "${goal}: parameter ${name}: no 'User property: ${property}' in its help entry (${body})"
      }
    }
  }
}
assert problems.isEmpty() : problems.join('\n')
// the shared parameters every goal inherits (AbstractDevpluginMojo) are documented in each goal's section
['env', 'skip'].each { shared ->
  goals.findAll { it != 'help' }.each { goal ->
    def body = entry(sections[goal], shared)
    assert body != null : "${goal}: shared parameter ${shared} missing from its help section"
  }
}
assert entry(sections['config'], 'env').contains('User property: devplugin.env')
return true
