// the example service's sources and migrations, copied from example-project/ (kept in one place)
def sources = evaluate(new File(basedir, '../../../src/it/example-sources.groovy'))
sources.copy(sources.exampleMain(basedir), new File(basedir, 'src/main'))
return true
