// the proxy of proxy-settings.xml: listens on a free port (written into this IT's copy of the settings, and into the
// invoker's interpolated copy when that is written already), wants Basic authentication with the settings' login,
// counts what it carried
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def net = evaluate(new File(basedir, '../../../src/it/net-support.groovy'))
def registry = it.env('DEVPLUGIN_TEST_REGISTRY')
def base = it.env('DEVPLUGIN_TEST_BASE_IMAGE')
def alias = 'registry.it-proxy.invalid:' + registry.split(':')[1]
it.mavenConfig(basedir, ["-Ddevplugin.image.from=${alias}/${base.substring(registry.length() + 1)}".toString(),
    "-Ddevplugin.image.to=${alias}/it-image-proxy/app".toString()])
def counts = [:]
// the registry is reached by a name only the proxy resolves (Java never proxies loopback addresses)
def server = net.proxy('it-proxy-user', 'it-proxy-password-4b8e', counts, ['registry.it-proxy.invalid': '127.0.0.1'])
System.properties.put('it.image-proxy.server', server)
System.properties.put('it.image-proxy.counts', counts)
[new File(basedir, 'proxy-settings.xml'), new File(basedir, '../interpolated-proxy-settings.xml')].each { f ->
  if (f.exists()) {
    f.text = f.text.replace('PROXY_PORT', String.valueOf(server.localPort))
  }
}
return true
