// this IT's own database on the test environment's PostgreSQL (see src/it/it-database.groovy)
evaluate(new File(basedir, '../../../src/it/it-database.groovy'))
// backups go to the default directory, outside target/: start without the ones of an earlier run
new File(System.getProperty('user.home'), '.devplugin/backups/it.devplugin/db-prod-backup').deleteDir()
return true
