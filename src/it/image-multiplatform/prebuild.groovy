def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
['DEVPLUGIN_TEST_BASE_IMAGE_MULTI', 'DEVPLUGIN_TEST_REGISTRY'].each { v -> it.env(v) }
return true
