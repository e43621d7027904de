// the example service, copied into this IT's directory so that it is built exactly as a user builds it
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.copyExample(basedir)
return true
