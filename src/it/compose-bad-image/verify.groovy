def log = new File(basedir, 'build.log').text
assert log.contains("<compose><postgresImage>: 'Postgres:Latest' is not a valid image reference: repositories must"
    + " be lower case. Fix: write it as [registry/]repository[:tag][@sha256:digest] in lower case, e.g."
    + " <postgresImage>postgres:18.1-alpine</postgresImage>.")
assert log.contains("<environments><staging><compose><redisImage>: 'redis:7 alpine' is not a valid image reference")
assert !(log =~ /(?m)^\s+at [\w.$]+[ (]/) && !log.contains('Caused by:') : 'a message, not a stack trace'
assert !new File(basedir, 'target/devplugin/compose').exists() : 'nothing is written on bad input'
return true
