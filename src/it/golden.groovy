// Golden files: whole generated outputs compared with the copies checked in under src/it/<it>/expected/.
//
//   def golden = evaluate(new File(basedir, '../../../src/it/golden.groovy'))
//   golden.check(basedir, 'target/devplugin/k8s/prod', 'k8s/prod')   // every file under the directory
//   golden.check(basedir, 'target/devplugin/docker/Dockerfile', 'Dockerfile')   // one file
//
// A difference fails with a unified diff. scripts/update-golden.sh (DEVPLUGIN_UPDATE_GOLDEN=1) writes the outputs
// into expected/ instead, so a reviewer sees every change to a generated file in the commit's diff.
// Values that depend on the machine (registry port, absolute paths) are replaced by placeholders before comparing:
// the registry (DEVPLUGIN_TEST_REGISTRY) by @REGISTRY@, the IT's directory by @BASEDIR@, sha256 digests by @DIGEST@
// when the caller asks for it (digests of images built from this machine's base differ between machines).
import java.nio.file.Files
import java.nio.file.Path

class Golden {
  boolean update = System.getenv('DEVPLUGIN_UPDATE_GOLDEN') == '1'
  File source

  String normalise(String text, File basedir, boolean maskDigests) {
    String registry = System.getenv('DEVPLUGIN_TEST_REGISTRY')
    String out = text.replace(basedir.canonicalPath, '@BASEDIR@')
    if (registry) {
      out = out.replace(registry, '@REGISTRY@')
    }
    if (maskDigests) {
      out = maskHashes(out.replaceAll(/sha256:[0-9a-f]{64}/, 'sha256:@DIGEST@'))
    }
    return out
  }

  // names derived from a hash over content that holds an image digest (the migration Job's name)
  static String maskHashes(String text) {
    return text.replaceAll(/-migrate-[0-9a-f]{8}\b/, '-migrate-@HASH@')
  }

  /** Compares the file or every file under the directory {@code actualPath} (relative to basedir) with expected/name. */
  void check(File basedir, String actualPath, String name, boolean maskDigests = false) {
    File actual = new File(basedir, actualPath)
    assert actual.exists() : "golden: ${actualPath} was not generated"
    File sourceIt = new File(basedir, '../../../src/it/' + basedir.name).canonicalFile
    File expected = new File(new File(sourceIt, 'expected'), name)
    List<String> rel = actual.isDirectory() ? files(actual) : ['']
    Closure<String> named = { String r -> maskDigests ? maskHashes(r) : r }
    if (update) {
      if (expected.isDirectory()) {
        expected.deleteDir()
      }
      rel.each { r ->
        File a = r ? new File(actual, r) : actual
        File e = r ? new File(expected, named(r)) : expected
        e.parentFile.mkdirs()
        e.text = normalise(a.getText('UTF-8'), basedir, maskDigests)
      }
      println "golden: updated ${expected}"
      return
    }
    assert expected.exists() : "golden: ${expected} is missing; run scripts/update-golden.sh ${basedir.name} and review the diff"
    if (actual.isDirectory()) {
      List<String> want = files(expected)
      assert rel.collect(named).sort() == want : "golden: ${actualPath} holds ${rel}, expected/${name} holds ${want}; run scripts/update-golden.sh ${basedir.name} if the change is intended"
    }
    List<String> diffs = []
    rel.each { r ->
      File a = r ? new File(actual, r) : actual
      File e = r ? new File(expected, named(r)) : expected
      String got = normalise(a.getText('UTF-8'), basedir, maskDigests)
      String want = e.getText('UTF-8')
      if (got != want) {
        diffs << diff(e, got)
      }
    }
    assert diffs.isEmpty() : "golden: generated files differ from expected/${name} (run scripts/update-golden.sh ${basedir.name} if intended):\n" + diffs.join('\n')
  }

  static List<String> files(File dir) {
    List<String> out = []
    dir.eachFileRecurse(groovy.io.FileType.FILES) { f ->
      String r = dir.toPath().relativize(f.toPath()).toString()
      // stamps and hidden bookkeeping files are not outputs
      if (!r.split('/').any { it.startsWith('.') }) {
        out << r
      }
    }
    return out.sort()
  }

  static String diff(File expected, String got) {
    File tmp = File.createTempFile('golden', '.txt')
    tmp.text = got
    def p = ['diff', '-u', expected.path, tmp.path].execute()
    def out = new StringBuffer(), err = new StringBuffer()
    p.waitForProcessOutput(out, err)
    tmp.delete()
    return out.toString()
  }
}
return new Golden()
