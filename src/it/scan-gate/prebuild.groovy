// The test's OSV database (the real GHSA record of CVE-2022-42889 with its real range and severity, trimmed to
// the fields devplugin reads), a malformed one, the allow-lists, and a layer directory holding a private key: all
// written here, so no key or advisory copy lives in the repository.
def it = evaluate(new File(basedir, '../../../src/it/image-support.groovy'))
it.env('DEVPLUGIN_TEST_REGISTRY')
def osv = new File(basedir, 'osv/maven')
osv.mkdirs()
new File(osv, 'GHSA-599f-7c49-w659.json').text = '''{
  "schema_version": "1.4.0",
  "id": "GHSA-599f-7c49-w659",
  "modified": "2024-02-16T08:19:53Z",
  "published": "2022-10-13T19:00:17Z",
  "aliases": ["CVE-2022-42889"],
  "summary": "Arbitrary code execution in Apache Commons Text",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
  "affected": [{
    "package": {"ecosystem": "Maven", "name": "org.apache.commons:commons-text", "purl": "pkg:maven/org.apache.commons/commons-text"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.5"}, {"fixed": "1.10.0"}]}]
  }],
  "database_specific": {"cwe_ids": ["CWE-94"], "severity": "CRITICAL", "github_reviewed": true}
}
'''
def bad = new File(basedir, 'osv-bad')
bad.mkdirs()
new File(bad, 'GHSA-bad.json').text = '{"id": "GHSA-bad", "affected": [{"package": {"ecosystem": "Maven"}}]}'
new File(basedir, 'allow.txt').text = '# reviewed: no user input reaches StringSubstitutor\nCVE-2022-42889 2099-12-31 no interpolation of user input\n'
new File(basedir, 'expired.txt').text = '# reviewed once\nGHSA-599f-7c49-w659 2020-01-31 no interpolation of user input\n'
def keys = new File(basedir, 'src/secret-image/app/keys')
keys.mkdirs()
new File(keys, 'deploy.pem').text = '-----BEGIN' + ' RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAtest\n-----END RSA PRIVATE KEY-----\n'
return true
