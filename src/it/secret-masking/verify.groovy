def secrets = ['it-env-token-91b2d7e4', 'it-server-password-7f3a9c']
def log = new File(basedir, 'build.log').text
assert log.contains('secrets.API_TOKEN') && log.contains('****') : 'the secrets were resolved and shown masked'
secrets.each { s -> assert !log.contains(s) : "secret value found in build.log" }
def leaks = []
new File(basedir, 'target').eachFileRecurse(groovy.io.FileType.FILES) { f ->
  def text = new String(f.bytes, 'ISO-8859-1')
  secrets.each { s -> if (text.contains(s)) leaks << "${f}: ${s.take(6)}..." }
}
assert leaks.isEmpty() : "secret values written to files: ${leaks}"
assert new File(basedir, 'target/devplugin/config-staging.json').isFile()
// compose references the secrets by name and never resolves them
def compose = new File(basedir, 'target/devplugin/compose/docker-compose.yml').text
assert compose.contains('API_TOKEN: "${API_TOKEN:?') && compose.contains('DB_PASSWORD: "${DB_PASSWORD:?')
assert new File(basedir, 'target/devplugin/compose/.env.example').text.contains('\nAPI_TOKEN=\n')
// migrate: the server's password was used and rejected; the message names where it came from
assert log.contains("the password was rejected. Fix: check the password given by the password of settings.xml server 'it-db' (-Ddevplugin.db.serverId)")
return true
