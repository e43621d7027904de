def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.env('CONTAINERS_CONF')
it.copyExample(basedir)
// README "What the plugin jar holds": a plugin dependency replaces the bundled plugin's own pgjdbc (verify.groovy:
// the migrator layer holds the named version)
def pom = new File(basedir, 'pom.xml')
def declared = '<artifactId>devplugin-maven-plugin</artifactId>\n        <version>${devplugin.version}</version>\n'
assert pom.text.contains(declared) : "example-project's devplugin declaration changed: ${pom}"
pom.text = pom.text.replace(declared, declared + """        <dependencies>
          <dependency>
            <groupId>org.postgresql</groupId>
            <artifactId>postgresql</artifactId>
            <version>42.7.13</version>
          </dependency>
        </dependencies>
""")
it.mavenConfig(basedir, ["-Ddevplugin.image.from=${it.env('DEVPLUGIN_TEST_BASE_IMAGE')}",
    "-Ddevplugin.image.to=${it.env('DEVPLUGIN_TEST_REGISTRY')}/it/image-example-registry",
    '-Ddevplugin.image.tags=it-extra'])
return true
