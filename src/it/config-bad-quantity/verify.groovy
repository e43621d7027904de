def log = new File(basedir, 'build.log').text
assert log.contains("Invalid devplugin configuration (3 problems):")
assert log.contains("<service><resources><limits><memory>: '512MB' is not a Kubernetes quantity. Fix: use a number with an optional suffix, e.g. 256Mi, 1Gi or 512M.")
assert log.contains("<service><replicas>: '-1' is out of range. Fix: use a whole number from 0 to 1000.")
assert log.contains("<service><prot>: is not a devplugin setting here. Did you mean <port>?")
assert !(log =~ /(?m)^\s+at [\w.$]+[ (]/) && !log.contains('Caused by:') : 'a configuration error is a message, not a stack trace'
assert !new File(basedir, 'target/devplugin/config-dev.json').exists() : 'no output on invalid configuration'
return true
