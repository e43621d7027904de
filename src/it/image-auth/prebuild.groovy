def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
['DEVPLUGIN_TEST_BASE_IMAGE', 'DEVPLUGIN_TEST_AUTH_REGISTRY'].each { v -> it.env(v) }
return true
