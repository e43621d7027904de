// Shared by the image-* and dockerfile-* ITs: evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
// returns a map of helpers. The ITs need the test environment: scripts/test-env.sh up, then
// eval "$(scripts/test-env.sh env)" before ./mvnw verify.
import java.nio.file.*

def env = { String name ->
  def v = System.getenv(name)
  if (v == null || v.isEmpty()) {
    throw new AssertionError("${name} is not set: the test environment is missing. Run scripts/test-env.sh up and eval \"\$(scripts/test-env.sh env)\" before ./mvnw verify.")
  }
  return v
}

def sh = { List cmd, boolean check = true ->
  def p = cmd.collect { it.toString() }.execute()
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  if (check && p.exitValue() != 0) {
    throw new AssertionError("${cmd.join(' ')} failed (${p.exitValue()}): ${err}${out}")
  }
  return out.toString().trim()
}

// copies example-project (POM and sources) into an IT's directory: the IT runs the example as a user would
def copyExample = { File basedir ->
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
}

// -D properties for the IT's Maven run, through .mvn/maven.config (invoker.properties cannot read the environment)
def mavenConfig = { File basedir, List<String> args ->
  def dir = new File(basedir, '.mvn')
  dir.mkdirs()
  new File(dir, 'maven.config').text = args.join('\n') + '\n'
}

// waits for GET url to answer 200; returns the last status (0: no answer)
def httpStatus = { String url ->
  int status = 0
  for (int i = 0; i < 150 && status != 200; i++) {
    try {
      def c = new URL(url).openConnection()
      c.connectTimeout = 500
      c.readTimeout = 2000
      status = c.responseCode
    } catch (IOException e) {
      Thread.sleep(200)
    }
  }
  return status
}

def freePort = { -> def s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); int p = s.localPort; s.close(); p }

// golden.check of a generated Dockerfile (src/it/golden.groovy), registry and digests masked; the commit it was
// generated at (the revision label, ARG REVISION) changes with every commit of this repository, so it is masked too
def goldenDockerfile = { File basedir, String actualPath, String name ->
  def golden = evaluate(new File(basedir, '../../../src/it/golden.groovy'))
  def git = ['git', 'rev-parse', '--verify', '-q', 'HEAD'].execute(null, basedir)
  def revision = git.text.trim()
  git.waitFor()
  def text = new File(basedir, actualPath).getText('UTF-8')
  if (revision ==~ /[0-9a-f]{40}/) {
    text = text.replace(revision, '@REVISION@')
  }
  def masked = new File(basedir, 'target/golden/' + name)
  masked.parentFile.mkdirs()
  masked.setText(text, 'UTF-8')
  golden.check(basedir, 'target/golden/' + name, name, true)
}

return [env: env, sh: sh, copyExample: copyExample, mavenConfig: mavenConfig, httpStatus: httpStatus, freePort: freePort,
    goldenDockerfile: goldenDockerfile]
