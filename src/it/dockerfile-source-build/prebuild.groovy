def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.env('CONTAINERS_CONF')
it.env('DEVPLUGIN_TEST_BUILDER_IMAGE')
// staging, as a tar on the test base: the Jib image to compare the Dockerfile's staging target with
it.mavenConfig(basedir, ['-Ddevplugin.env=staging', "-Ddevplugin.image.from=${it.env('DEVPLUGIN_TEST_BASE_IMAGE')}",
    '-Ddevplugin.image.target=tar'])
return true
