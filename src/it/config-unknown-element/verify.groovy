def log = new File(basedir, 'build.log').text
assert log.contains('Invalid devplugin configuration (2 problems):')
assert log.contains('<plugin><configuration><secrest>: is not a devplugin parameter. Did you mean <secrets>?')
assert log.contains('<execution><id>manifests</id><configuration><kubernets>: is not a devplugin parameter. Did you mean <kubernetes>?')
assert log.contains('Fix: remove it or correct its name')
assert !new File(basedir, 'target/devplugin').exists() : 'nothing may be generated from a configuration with unknown elements'
assert !(log =~ /(?m)^\s+at [\w.$]+[ (]/) && !log.contains('Caused by:') : 'a configuration error is a message, not a stack trace'
return true
