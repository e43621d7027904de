def it = evaluate(new File(basedir, '../../../src/it/adopt-support.groovy'))
def xml = it.snippet(basedir)
def version = it.builtVersion(pluginXml)
assert xml.contains("<version>${version}</version>") :
    "README.md's snippet does not name the plugin's version ${version}: update <version> in \"Adding the plugin\""
// example-project binds the goals exactly as the README tells users to
def executions = { String s ->
  def m = s =~ /(?s)<executions>.*?<\/executions>/
  assert m.find() : "no <executions> in:\n${s}"
  return m.group().replaceAll(/<!--.*?-->/, '').replaceAll(/\s+/, ' ')
}
def example = new File(it.repo(basedir), 'example-project/pom.xml').getText('UTF-8')
assert executions(example) == executions(xml) :
    "example-project/pom.xml does not bind the goals the way README.md's snippet does:\n${executions(example)}\n${executions(xml)}"
it.paste(basedir, xml)
it.mavenConfig(basedir, it.userArgs())
return true
