import java.nio.file.Files
import java.nio.file.StandardCopyOption

// Copies the example service into this IT's directory so that it is built exactly as a user builds it.
def example = new File(basedir, '../../../example-project').canonicalFile.toPath()
assert Files.isRegularFile(example.resolve('pom.xml')) : "example-project not found at ${example}"
def target = basedir.toPath()
Files.walk(example).withCloseable { paths ->
  paths.filter { p -> !example.relativize(p).toString().startsWith('target') }.each { p ->
    def dest = target.resolve(example.relativize(p).toString())
    if (Files.isDirectory(p)) {
      Files.createDirectories(dest)
    } else {
      Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING)
    }
  }
}
return true
