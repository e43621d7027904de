// the example service's sources and migrations, copied from example-project/ (kept in one place)
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

def example = new File(basedir, '../../../example-project/src/main')
assert example.isDirectory() : "example-project not found at ${example}"
copyTree(example, new File(basedir, 'src/main'))
return true
