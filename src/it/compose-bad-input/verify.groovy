def log = new File(basedir, 'build.log').text
assert log.contains('The compose environment cannot be generated (3 problems):')
assert log.contains("  - <service><name>: the service name 'redis' clashes with the compose service devplugin generates"
    + " for Redis (<cache>). Fix: rename the service, e.g. <service><name>redis-app</name></service>.")
assert log.contains('<compose><postgresPort>: host port 15432 is used twice: by <service><port> and by'
    + ' <compose><postgresPort>. Fix: give one of them another port, e.g.'
    + ' <compose><postgresPort>25432</postgresPort></compose>.')
assert log.contains('<service><env><API_URL>: references ${API_BASE}, which is not declared')
assert log.contains('<compose><variables><variable><name>API_BASE</name>')
assert !(log =~ /(?m)^\s+at [\w.$]+[ (]/) && !log.contains('Caused by:') : 'a message, not a stack trace'
assert !new File(basedir, 'target/devplugin/compose').exists() : 'nothing is written on bad input'
return true
