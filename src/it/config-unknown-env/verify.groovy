def log = new File(basedir, 'build.log').text
assert log.contains("-Ddevplugin.env=qa: unknown environment 'qa'; the known environments are dev, prod, staging.")
assert log.contains('Fix: use -Ddevplugin.env=dev|prod|staging, or declare <environments><qa>')
assert !(log =~ /(?m)^\s+at [\w.$]+[ (]/) && !log.contains('Caused by:') : 'a configuration error is a message, not a stack trace'
return true
