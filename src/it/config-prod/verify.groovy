import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def json = new JsonSlurper().parse(new File(basedir, 'target/devplugin/config-prod.json'))

assert json.environment == 'prod'
assert json.environments == ['dev', 'prod']
// the overlay wins by key, the base supplies the rest, a -D property beats both
assert json.values['service.replicas'].value == '3'
assert json.values['service.replicas'].origin == 'environment prod'
assert json.values['service.replicas'].element == '<environments><prod><service><replicas>'
assert json.values['service.port'].value == '8081'
assert json.values['service.port'].origin == 'POM'
assert json.values['service.env.LOG_LEVEL'].value == 'warn'
assert !json.values.containsKey('service.env.FEATURE_X') : 'remove="true" deletes the inherited variable'
// ports merge by number: one port 9090, renamed by the overlay
assert json.values['service.ports[9090].name'].value == 'prom'
assert json.values['image.to'].value == 'registry.example.com/orders:1.0.0'
assert json.values['image.to'].origin == '-Ddevplugin.image.to'
assert json.values['image.allowMutableTags'].value == 'false' : 'prod forbids mutable tags by default'
// the secret resolves from the settings.xml server, and is only ever shown masked
assert json.secrets.DB_PASSWORD.present == true
assert json.secrets.DB_PASSWORD.source == "settings.xml server 'it-db' (password)"
assert log.contains('secrets.DB_PASSWORD')
assert !log.contains('it-server-password-7f3a9c')
assert !new File(basedir, 'target/devplugin/config-prod.json').text.contains('it-server-password-7f3a9c')
assert log =~ /service\.replicas\s+= 3\s+\[environment prod <environments><prod><service><replicas>\]/
return true
