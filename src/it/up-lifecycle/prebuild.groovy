// the example service's sources (from example-project/, kept in one place) and this IT's failsafe test, into a and b
def sources = evaluate(new File(basedir, '../../../src/it/example-sources.groovy'))
['a', 'b'].each { m ->
  sources.copy(sources.exampleMain(basedir), new File(basedir, "${m}/src/main"))
  sources.copy(new File(basedir, 'it-test'), new File(basedir, "${m}/src/test/java/it/up"))
}
return true
