def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
['DEVPLUGIN_TEST_PODMAN_SOCKET', 'DEVPLUGIN_TEST_BASE_IMAGE', 'CONTAINERS_CONF'].each { v -> it.env(v) }
def sh = it.sh
sh(['podman', 'rmi', '-f', 'localhost/it-image-engine:1.0.0'], false)
return true
