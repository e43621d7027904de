// the two modules' databases on the test environment's PostgreSQL, and their URLs in .mvn/maven.config (replacing
// the one database and URL that it-database.groovy makes for single-module ITs)
def pg = evaluate(new File(basedir, '../../../src/it/it-database.groovy'))
def config = []
['alpha', 'beta'].each { module ->
  def db = "it_parallel_${module}"
  pg.psql("DROP DATABASE IF EXISTS ${db} WITH (FORCE)")
  pg.psql("CREATE DATABASE ${db}")
  config << "-Dit.${module}.url=jdbc:postgresql://${pg.host}:${pg.port}/${db}"
}
new File(basedir, '.mvn/maven.config').text = config.join('\n') + '\n'
new File(basedir, 'db.properties').delete()
return true
