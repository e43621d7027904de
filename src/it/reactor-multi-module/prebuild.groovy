// the test registry and base image, for every module, through .mvn/maven.config
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.mavenConfig(basedir, ["-Dit.registry=${it.env('DEVPLUGIN_TEST_REGISTRY')}",
    "-Ddevplugin.image.from=${it.env('DEVPLUGIN_TEST_BASE_IMAGE')}"])
return true
