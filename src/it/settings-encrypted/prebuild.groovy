// this IT's own database on the test environment's PostgreSQL (src/it/it-database.groovy: it_settings_encrypted,
// -Ddevplugin.db.url in .mvn/maven.config). The settings.xml server holds the test user's name and its password
// encrypted: both are constants of scripts/test-env.sh (PG_USER, PG_PASSWORD), checked here so that a change there
// names what to re-encrypt.
def password = System.getenv('DEVPLUGIN_TEST_PG_PASSWORD')
def user = System.getenv('DEVPLUGIN_TEST_PG_USER')
assert user == 'devplugin' && password == 'devplugin-test' : 'the test PostgreSQL user or password changed (or' +
    ' scripts/test-env.sh env was not evaluated): update src/it/settings-encrypted/settings-encrypted.xml (mvn' +
    ' -Dsettings.security=src/it/settings-encrypted/settings-security.xml --encrypt-password NEW_PASSWORD)'
evaluate(new File(basedir, '../../../src/it/it-database.groovy'))
return true
