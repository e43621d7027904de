// the example service's sources and migrations, copied from example-project/ (kept in one place)
def example = new File(basedir, '../../../example-project/src/main')
assert example.isDirectory() : "example-project not found at ${example}"
new AntBuilder().copy(todir: new File(basedir, 'src/main')) { fileset(dir: example) }
return true
