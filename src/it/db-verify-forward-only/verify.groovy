def log = new File(basedir, 'build.log').text
// forward-only: no undo script in the project, every migration proven to apply, Java ones included
assert log.contains('No undo scripts (U<version>__<description>.sql): checking forward only, that each of the 3 migrations applies on an empty database and that the checksums match.')
assert log.contains('V1__create_notes.sql applies')
assert log.contains('db.migration.V2__seed_notes applies')
assert log.contains('V3__add_tag.sql applies')
assert log.contains('Checked 3 migrations forward only (no undo scripts): each applies on an empty database and the checksums match.')
// its messages point at no backup or undo script that does not exist
assert !log.contains('backup') && !log.contains('has no undo script')
// the second run: nothing changed, no work
assert log.contains('Migrations are up to date: the same scripts passed the migration check before (target/devplugin/stamps/verify-migrations.fingerprint;')
assert new File(basedir, 'target/devplugin/stamps/verify-migrations.fingerprint').isFile()
assert !log.contains('Exception:') && !log.contains('\tat ') : 'no stack trace'
return true
