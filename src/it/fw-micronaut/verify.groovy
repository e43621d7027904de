import groovy.json.JsonSlurper

// A real Micronaut 4.10 service (micronaut-parent, netty HTTP server, management, jdbc-hikari on PostgreSQL, flyway,
// redis-lettuce); devplugin:config bound at package prints the framework.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/fw-micronaut-1.0.0.jar').isFile()
assert log =~ /Framework: micronaut 4\.10\.8 \(detected: dependency io\.micronaut:micronaut-http-server-netty:[0-9.]+\)/
assert log.contains('  probes: liveness GET /health/liveness, readiness GET /health/readiness, startup GET'
    + ' /health/liveness')
assert log.contains('  variables: port=MICRONAUT_SERVER_PORT, databaseUrl=DATASOURCES_DEFAULT_URL,'
    + ' databaseUser=DATASOURCES_DEFAULT_USERNAME, databasePassword=DATASOURCES_DEFAULT_PASSWORD,'
    + ' redisUrl=REDIS_URI')
assert log.contains('  environment: MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_ENABLED=true')
assert log.contains('  when devplugin migrates: FLYWAY_DATASOURCES_DEFAULT_ENABLED=false')
assert log.contains('the build\'s configured it.fw.notes.Application') : 'exec.mainClass is the configured main class'

def json = new JsonSlurper().parse(new File(basedir, 'target/devplugin/config-dev.json'))
assert json.framework.name == 'micronaut'
assert json.framework.version == '4.10.8'
// the deployment side (devplugin:k8s, devplugin:compose), when this app binds it
def deployCheck = new File(basedir, 'verify-deploy.groovy')
if (deployCheck.isFile()) {
  evaluate(deployCheck)
}
return true
