// a docker CLI configuration whose current context is the test environment's Podman socket
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def socket = it.env('DEVPLUGIN_TEST_PODMAN_SOCKET')
it.env('DEVPLUGIN_TEST_BASE_TAR')
it.env('CONTAINERS_CONF')
def config = new File(basedir, 'docker-config')
def name = 'it-podman'
def hash = java.security.MessageDigest.getInstance('SHA-256').digest(name.getBytes('UTF-8')).encodeHex().toString()
def meta = new File(config, "contexts/meta/${hash}/meta.json")
meta.parentFile.mkdirs()
meta.text = groovy.json.JsonOutput.toJson([Name: name, Metadata: [Description: 'devplugin IT'],
    Endpoints: [docker: [Host: socket, SkipTLSVerify: false]]])
new File(config, 'config.json').text = '{"auths": {}, "currentContext": "it-podman"}\n'
it.sh(['podman', 'rmi', '-f', 'localhost/it-image-engine-context:1.0.0'], false)
return true
