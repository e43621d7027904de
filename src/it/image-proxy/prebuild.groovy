// the proxy of proxy-settings.xml: listens on a free port (handed to Maven as -Dit.proxy.port), wants Basic
// authentication with the settings' login, counts what it carried
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def net = evaluate(new File(basedir, '../../../src/it/net-support.groovy'))
it.env('DEVPLUGIN_TEST_BASE_IMAGE')
def counts = [:]
def server = net.proxy('it-proxy-user', 'it-proxy-password-4b8e', counts)
System.properties.put('it.image-proxy.server', server)
System.properties.put('it.image-proxy.counts', counts)
it.mavenConfig(basedir, ["-Dit.proxy.port=${server.localPort}".toString()])
return true
