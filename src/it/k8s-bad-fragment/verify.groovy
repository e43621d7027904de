def log = new File(basedir, 'build.log').text
assert log.contains("Invalid Kubernetes manifests for environment 'dev' (1 problem):")
assert log =~ /src\/main\/k8s\/broken\.yaml: is not valid YAML at line \d+, column \d+/
assert log.contains('Fix: fix the YAML syntax')
assert !(log =~ /(?m)^\s+at [\w.$]+[ (]/) && !log.contains('Caused by:') : 'a manifest error is a message, not a stack trace'
assert !new File(basedir, 'target/devplugin/k8s/dev').exists() : 'nothing written on invalid manifests'
return true
