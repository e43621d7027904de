// the IT's project becomes a git work tree of its own: everything committed, then a new source file git does not
// know (untracked, not ignored: it goes into the build)
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.env('DEVPLUGIN_TEST_BASE_TAR')
def git = { List args ->
  def p = (['git', '-c', 'user.name=it', '-c', 'user.email=it@example.com', '-c', 'commit.gpgsign=false'] + args)
      .execute(null, basedir)
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  assert p.exitValue() == 0 : "git ${args.join(' ')}: ${err}${out}"
  out.toString().trim()
}
git(['init', '-q'])
new File(basedir, '.gitignore').text = 'target/\nbuild.log\n*.log\n'
git(['add', '-A'])
git(['commit', '-q', '-m', 'the IT project'])
assert git(['status', '--porcelain']).isEmpty()
new File(basedir, 'src/main/java/it/app/Extra.java').text = 'package it.app;\n\nfinal class Extra {}\n'
new File(basedir, 'target').mkdirs()
new File(basedir, 'target/revision.txt').text = git(['rev-parse', 'HEAD'])
return true
