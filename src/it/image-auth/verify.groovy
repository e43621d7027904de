import groovy.json.JsonSlurper

def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
def registry = it.env('DEVPLUGIN_TEST_AUTH_REGISTRY')
def log = new File(basedir, 'build.log').text
def secrets = ['devplugin-it-registry-pw', 'wrong-registry-pw-5e1d']
// 1. pushed with the settings.xml server's credentials
assert log.contains("Credentials for ${registry}: settings.xml server '${registry}'.")
assert log =~ /Pushed ${java.util.regex.Pattern.quote(registry)}\/it\/image-auth with tags 1\.0\.0: sha256:/
def pushed = it.sh(['skopeo', 'inspect', '--tls-verify=false', '--creds',
    "${it.env('DEVPLUGIN_TEST_AUTH_REGISTRY_USER')}:${it.env('DEVPLUGIN_TEST_AUTH_REGISTRY_PASSWORD')}",
    '--format', '{{.Digest}}', "docker://${registry}/it/image-auth:1.0.0"])
assert pushed ==~ /sha256:[0-9a-f]{64}/
// 2. refused: the message names the registry and the fix, no stack trace
assert log.contains("The registry ${registry} refused pushing ${registry}/it/image-auth:1.0.0 with the credentials of settings.xml server")
def second = log.substring(log.lastIndexOf('Building image-auth 1.0.0'))
assert second.contains("check the credentials of settings.xml server 'it-registry-wrong'")
assert !(second =~ /(?m)^\s+at [a-z]+\.[\w.$]+\(/) : 'no stack trace'
// the passwords never appear, not even with -X, nor in any file under target/
secrets.each { s -> assert !log.contains(s) : 'a registry password is in build.log' }
new File(basedir, 'target').eachFileRecurse(groovy.io.FileType.FILES) { f ->
  def text = new String(f.bytes, 'ISO-8859-1')
  secrets.each { s -> assert !text.contains(s) : "a registry password is in ${f}" }
}
return true
