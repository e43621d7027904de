def log = new File(basedir, 'build.log').getText('UTF-8')
assert log.contains('BUILD SUCCESS')
assert log =~ /thread count of 4/ : 'the build did not run with -T 4 (no "MultiThreadedBuilder ... thread count of 4" line)'
// each module's own passphrase: masked in its log, never in clear anywhere
['alpha-pass-7q4k', 'beta-pass-3m9x'].each { secret ->
  assert !log.contains(secret) : "${secret} appears in clear: a Flyway line went to the other module's log"
}
// both modules' Flyway lines arrived, each masked with its own module's secrets
assert log.contains('Migrating schema "public" to version "1 - alpha meets beta"')
assert log.contains('Migrating schema "public" to version "1 - beta meets alpha"')
def masked = (log =~ /Migrating schema "public" to version "2 - \*+"/).count
assert masked == 2 : "expected both modules' V2 lines with the description masked, found ${masked}:\n${log}"
return true
