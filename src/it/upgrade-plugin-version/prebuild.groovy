import java.nio.file.*
import java.util.zip.*

def it = evaluate(new File(basedir, '../../../src/it/adopt-support.groovy'))
def version = it.builtVersion(pluginXml)
def upgraded = "${version}-upgraded"

// the project of adopt-readme-snippet, its plugin version a property that step 3 overrides
def source = new File(it.repo(basedir), 'src/it/adopt-readme-snippet').toPath()
Files.copy(source.resolve('pom.xml'), basedir.toPath().resolve('pom.xml'), StandardCopyOption.REPLACE_EXISTING)
Files.walk(source.resolve('src')).withCloseable { walk ->
  walk.each { p ->
    def t = basedir.toPath().resolve(source.relativize(p).toString())
    if (Files.isDirectory(p)) Files.createDirectories(t) else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING)
  }
}
def xml = it.snippet(basedir)
assert xml.contains("<version>${version}</version>")
it.paste(basedir, xml.replace("<version>${version}</version>", '<version>${devplugin.version}</version>'))
def pom = new File(basedir, 'pom.xml')
pom.text = pom.text.replace('</properties>', "  <devplugin.version>${version}</devplugin.version>\n  </properties>")
it.mavenConfig(basedir, it.userArgs())

// the upgrade: the plugin as installed, under another version (descriptor, manifest, POM)
def dir = new File(localRepositoryPath, 'io/github/devplugin/devplugin-maven-plugin')
def from = new File(dir, version)
def to = new File(dir, upgraded)
to.mkdirs()
def replaceFirst = { String text, String what, String with ->
  int i = text.indexOf(what)
  assert i >= 0 : "${what} not found"
  return text.substring(0, i) + with + text.substring(i + what.length())
}
new File(to, "devplugin-maven-plugin-${upgraded}.pom").text =
    replaceFirst(new File(from, "devplugin-maven-plugin-${version}.pom").text, "<version>${version}</version>",
        "<version>${upgraded}</version>")
def changed = [] as Set
new ZipInputStream(new File(from, "devplugin-maven-plugin-${version}.jar").newInputStream()).withCloseable { zin ->
  new ZipOutputStream(new File(to, "devplugin-maven-plugin-${upgraded}.jar").newOutputStream()).withCloseable { zout ->
    for (ZipEntry e = zin.nextEntry; e != null; e = zin.nextEntry) {
      byte[] bytes = zin.readAllBytes()
      if (e.name == 'META-INF/MANIFEST.MF') {
        bytes = replaceFirst(new String(bytes, 'UTF-8'), "Implementation-Version: ${version}",
            "Implementation-Version: ${upgraded}").getBytes('UTF-8')
        changed << e.name
      } else if (e.name == 'META-INF/maven/plugin.xml') {
        bytes = replaceFirst(new String(bytes, 'UTF-8'), "<version>${version}</version>",
            "<version>${upgraded}</version>").getBytes('UTF-8')
        changed << e.name
      }
      zout.putNextEntry(new ZipEntry(e.name))
      zout.write(bytes)
      zout.closeEntry()
    }
  }
}
assert changed == ['META-INF/MANIFEST.MF', 'META-INF/maven/plugin.xml'] as Set : "rewrote only ${changed}"
return true
