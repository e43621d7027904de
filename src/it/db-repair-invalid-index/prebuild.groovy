// this IT's own database on the test environment's PostgreSQL (see src/it/it-database.groovy)
evaluate(new File(basedir, '../../../src/it/it-database.groovy'))
return true
