def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.env('DEVPLUGIN_TEST_REGISTRY')
return true
