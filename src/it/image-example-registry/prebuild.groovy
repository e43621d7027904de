def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.env('CONTAINERS_CONF')
it.copyExample(basedir)
it.mavenConfig(basedir, ["-Ddevplugin.image.from=${it.env('DEVPLUGIN_TEST_BASE_IMAGE')}",
    "-Ddevplugin.image.to=${it.env('DEVPLUGIN_TEST_REGISTRY')}/it/image-example-registry",
    '-Ddevplugin.image.tags=it-extra'])
return true
