def log = new File(basedir, 'build.log').text
def dir = new File(basedir, 'src/main/resources/db/migration').canonicalPath
assert log.contains('The migrations cannot be checked: Flyway would skip or fail on these (5 problems):')
assert log.contains("${dir}/V7_bad.sql: there is no '__' (two underscores) between the version and the description")
assert log.contains("${dir}/V7.x__a.sql: '7.x' is not a version")
assert log.contains("${dir}/v7__a.sql: the prefix 'v' is lower case")
assert log.contains('Fix: rename it V<version>__<description>.sql (versioned), R__<description>.sql (repeatable)')
assert log.contains("${dir}/V8__empty.sql: is empty")
assert log.contains("${dir}/U9__orphan.sql: is an undo script without a migration")
// nothing connected: the files were refused first
assert !log.contains('127.0.0.1:9')
assert !log.contains('Exception:') && !log.contains('\tat ') : 'no stack trace'
return true
