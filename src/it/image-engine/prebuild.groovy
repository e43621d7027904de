def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
['DEVPLUGIN_TEST_PODMAN_SOCKET', 'DEVPLUGIN_TEST_BASE_IMAGE', 'DEVPLUGIN_TEST_BASE_TAR', 'CONTAINERS_CONF'].each { v -> it.env(v) }
def sh = it.sh
sh(['podman', 'rmi', '-f', 'localhost/it-image-engine:1.0.0'], false)
// the engine base: the test JRE image, pulled into Podman
sh(['podman', 'pull', '-q', '--tls-verify=false', it.env('DEVPLUGIN_TEST_BASE_IMAGE')])
return true
