import java.nio.file.*

// copies example-project (POM and sources) into this IT's directory: the IT runs the example as a user would
def source = new File(basedir, '../../../example-project').canonicalFile.toPath()
assert Files.isRegularFile(source.resolve('pom.xml')) : "example-project not found at ${source}"
def target = basedir.toPath()
Files.copy(source.resolve('pom.xml'), target.resolve('pom.xml'), StandardCopyOption.REPLACE_EXISTING)
Files.walk(source.resolve('src')).withCloseable { walk ->
  walk.each { p ->
    def t = target.resolve(source.relativize(p).toString())
    if (Files.isDirectory(p)) Files.createDirectories(t) else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING)
  }
}
return true
