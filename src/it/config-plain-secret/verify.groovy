def log = new File(basedir, 'build.log').text
assert log.contains("<secrets><secret><value>: secret 'DB_PASSWORD' is declared with a plain value; secrets never live in POM text. Fix: replace <value> with <env>VARIABLE</env>, <server>settings-server-id</server> or <file>/path</file>.")
assert log.contains("<service><env><API_TOKEN>: looks like a secret written in plain text in the POM.")
assert !(log =~ /(?m)^\s+at [\w.$]+[ (]/) && !log.contains('Caused by:') : 'a configuration error is a message, not a stack trace'
return true
