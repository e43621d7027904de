// Copies example-project's sources (kept in one place) into an IT. Loaded by an IT's prebuild.groovy with evaluate();
// returns a closure: copy(File from, File to) copies a directory tree, replacing files; exampleMain(File basedir) is
// example-project/src/main seen from an IT's directory.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

def copyTree = { File from, File to ->
  Path src = from.toPath()
  Files.walk(src).withCloseable { s ->
    s.forEach { Path p ->
      Path t = to.toPath().resolve(src.relativize(p).toString())
      if (Files.isDirectory(p)) {
        Files.createDirectories(t)
      } else {
        Files.createDirectories(t.parent)
        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING)
      }
    }
  }
}
def exampleMain = { File basedir ->
  def example = new File(basedir, '../../../example-project/src/main')
  assert example.isDirectory() : "example-project not found at ${example}"
  return example
}
return [copy: copyTree, exampleMain: exampleMain]
