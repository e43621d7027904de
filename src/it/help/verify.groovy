// devplugin:help -Ddetail documents every goal and every parameter; each parameter has a description and,
// unless it is a nested configuration element, a -D property
def log = new File(basedir, 'build.log').text
def descriptor = new groovy.xml.XmlSlurper().parse(new File(pluginXml))
def problems = []
descriptor.mojos.mojo.each { mojo ->
  def goal = mojo.goal.text()
  if (!log.contains("devplugin:${goal}")) problems << "goal ${goal} missing from help"
  if (!mojo.description.text().trim()) problems << "goal ${goal} has no description"
  mojo.parameters.parameter.findAll { it.editable.text() == 'true' }.each { p ->
    def name = p.name.text()
    if (!p.description.text().trim()) problems << "${goal}: parameter ${name} has no javadoc"
    def isNested = p.type.text() == 'org.codehaus.plexus.configuration.PlexusConfiguration'
    def expression = mojo.configuration."${name}".text()
    if (!isNested && goal != 'help' && !expression.startsWith('${devplugin.')) {
      problems << "${goal}: parameter ${name} has no devplugin.* property (${expression})"
    }
    if (goal != 'help' && !log.contains("    ${name}")) problems << "${goal}: parameter ${name} missing from help"
  }
}
assert problems.isEmpty() : problems.join('\n')
assert log.contains('User property: devplugin.env')
return true
