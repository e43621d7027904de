import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def errors = (log =~ /(?s)\[ERROR\] Failed to execute goal(.*?)-> \[Help 1\]/).collect { it[1] }
def expected = [
  // 1. commons-text 1.9: the advisory, its alias, the severity and the fixed version
  ['devplugin:scan failed the image', 'org.apache.commons:commons-text 1.9', 'GHSA-599f-7c49-w659 (CVE-2022-42889)',
   'severity CRITICAL, fixed in 1.10.0', 'upgrade to 1.10.0 or later'],
  // 3. an expired allow-list line
  ['expired.txt line 2: the entry for GHSA-599f-7c49-w659 expired on 2020-01-31', '-Ddevplugin.scan.allowList'],
  // 4. a missing database
  ['The vulnerability database', 'no-such-db', 'does not exist', '-Ddevplugin.scan.database', 'all.zip'],
  // 5. a malformed record
  ['GHSA-bad.json: GHSA-bad: affected[0].package.name', "'name' is missing"],
  // 7. a private key in a layer (extraDirectories)
  ['/app/keys/deploy.pem line 1: holds a secret (rule private-key)', '<image><extraDirectories>'],
]
assert errors.size() == expected.size() : "expected ${expected.size()} failures, got ${errors.size()}:\n${errors.join('\n')}"
expected.eachWithIndex { parts, i ->
  parts.each { p -> assert errors[i].contains(p) : "failure ${i + 1} lacks '${p}': ${errors[i]}" }
}
assert !log.contains('MIIEpAIBAAKCAQEAtest') : 'the key itself is never printed'
assert log.contains('allowed until 2099-12-31') : 'the allow-listed run prints the table'
assert !(log =~ /(?m)^\s+at [a-z]+\.[\w.$]+\(/) : 'no stack trace'

// the SBOM of the last build (step 7: commons-text upgraded, the key's layer added)
def sbom = new JsonSlurper().parse(new File(basedir, 'target/devplugin/sbom.cdx.json'))
def record = new JsonSlurper().parse(new File(basedir, 'target/devplugin/image.json'))
assert sbom.specVersion == '1.6'
assert sbom.metadata.component.version == record.digest
def purls = sbom.components*.purl.findAll { it }
assert purls.contains('pkg:maven/org.apache.commons/commons-text@1.10.0?type=jar')
assert !purls.any { it.contains('commons-text@1.9') } : 'the SBOM is the rebuilt image\'s'
assert purls.any { it.startsWith('pkg:maven/org.apache.commons/commons-lang3@') }
assert sbom.components.any { it.type == 'platform' } : 'the Java runtime of the base'
// attached next to the image: cosign's tag names the image as subject
def hex = record.digest.substring(7)
def c = new URL("http://${registry}/v2/it-scan-gate/app/manifests/sha256-${hex}.sbom").openConnection()
c.setRequestProperty('Accept', 'application/vnd.oci.image.manifest.v1+json')
def artifact = new JsonSlurper().parse(c.inputStream)
assert artifact.artifactType == 'application/vnd.cyclonedx+json'
assert artifact.subject.digest == record.digest
def sarif = new JsonSlurper().parse(new File(basedir, 'target/devplugin/scan.sarif'))
assert sarif.version == '2.1.0'
return true
