// The test's OSV database (the real GHSA record of CVE-2022-42889 with its real range and severity, trimmed to
// the fields devplugin reads: the unit tests' src/test/resources/osv record), a malformed one, the allow-lists, and
// a layer directory holding a private key: written here, so no key lives in the repository.
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.env('DEVPLUGIN_TEST_REGISTRY')
def osv = new File(basedir, 'osv/maven')
osv.mkdirs()
new File(osv, 'GHSA-599f-7c49-w659.json').text =
    new File(basedir, '../../../src/test/resources/osv/GHSA-599f-7c49-w659.json').getText('UTF-8')
def bad = new File(basedir, 'osv-bad')
bad.mkdirs()
new File(bad, 'GHSA-bad.json').text = '{"id": "GHSA-bad", "affected": [{"package": {"ecosystem": "Maven"}}]}'
new File(basedir, 'allow.txt').text = '# reviewed: no user input reaches StringSubstitutor\nCVE-2022-42889 2099-12-31 no interpolation of user input\n'
new File(basedir, 'expired.txt').text = '# reviewed once\nGHSA-599f-7c49-w659 2020-01-31 no interpolation of user input\n'
def keys = new File(basedir, 'src/secret-image/app/keys')
keys.mkdirs()
new File(keys, 'deploy.pem').text = '-----BEGIN' + ' RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAtest\n-----END RSA PRIVATE KEY-----\n'
return true
