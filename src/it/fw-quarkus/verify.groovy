import groovy.json.JsonSlurper

// A real Quarkus 3.33 service (quarkus-bom, rest, smallrye-health, jdbc-postgresql, flyway, redis-client) built into
// the fast-jar layout by quarkus-maven-plugin; devplugin:config bound at package prints the framework.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/quarkus-app/quarkus-run.jar').isFile()
assert log.contains('Framework: quarkus 3.33.2 (detected: dependency io.quarkus:quarkus-rest:3.33.2)')
assert log.contains('  probes: liveness GET /q/health/live, readiness GET /q/health/ready, startup GET'
    + ' /q/health/started')
assert log.contains('  variables: port=QUARKUS_HTTP_PORT, databaseUrl=QUARKUS_DATASOURCE_JDBC_URL,'
    + ' databaseUser=QUARKUS_DATASOURCE_USERNAME, databasePassword=QUARKUS_DATASOURCE_PASSWORD,'
    + ' redisUrl=QUARKUS_REDIS_HOSTS')
assert log.contains('  when devplugin migrates: QUARKUS_FLYWAY_MIGRATE_AT_START=false')
assert log.contains('  launch: fast-jar quarkus-app/quarkus-run.jar (main io.quarkus.bootstrap.runner.QuarkusEntryPoint)')

// the profile's entry point is the one the Quarkus build wrote
def jar = new java.util.jar.JarFile(new File(basedir, 'target/quarkus-app/quarkus-run.jar'))
assert jar.manifest.mainAttributes.getValue('Main-Class') == 'io.quarkus.bootstrap.runner.QuarkusEntryPoint'
jar.close()

def json = new JsonSlurper().parse(new File(basedir, 'target/devplugin/config-dev.json'))
assert json.framework.name == 'quarkus'
assert json.framework.version == '3.33.2'
// the deployment side (devplugin:k8s, devplugin:compose), when this app binds it
def deployCheck = new File(basedir, 'verify-deploy.groovy')
if (deployCheck.isFile()) {
  evaluate(deployCheck)
}
return true
