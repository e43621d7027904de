def log = new File(basedir, 'build.log').text
assert log.contains('U2__search.sql does not undo V2__search.sql: after it the schema differs from the schema before V2__search.sql:')
assert log.contains('+ sequence public.note_numbers (bigint start 100 increment 1')
assert log.contains(') is left over')
assert log.contains('Fix: make U2__search.sql reverse every change of V2__search.sql.')
assert !log.contains('Exception:') && !log.contains('\tat ') : 'no stack trace'
assert !new File(basedir, 'target/devplugin/stamps/verify-migrations.fingerprint').exists() : 'a failed check records nothing'
return true
