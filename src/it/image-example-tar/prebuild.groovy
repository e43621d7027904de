def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.env('CONTAINERS_CONF')
it.copyExample(basedir)
return true
