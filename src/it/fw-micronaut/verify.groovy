import groovy.json.JsonSlurper

// A real Micronaut 4.10 service (micronaut-parent, netty HTTP server, management, jdbc-hikari on PostgreSQL, flyway,
// redis-lettuce); devplugin:config bound at package prints the framework;
// image and dockerfile next to it; the pushed image runs under podman (src/it/image-run-framework.groovy); the compose
// stack comes up (src/it/fw-compose-up.groovy).
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

// the image: classes and dependencies, not the shaded jar; main class from exec.mainClass, proven
assert log.contains('Main class it.fw.notes.Application (from the build\'s configured main class')
def dockerfile = new File(basedir, 'target/devplugin/docker/Dockerfile').text
assert dockerfile.contains('"http://127.0.0.1:8080/health/liveness"]') : 'HEALTHCHECK on the liveness probe'
assert dockerfile.contains('MICRONAUT_SERVER_PORT="8080"')
assert dockerfile.contains('"it.fw.notes.Application"]')
def run = evaluate(new File(basedir, '../../../src/it/image-run-framework.groovy'))
run(basedir, [:]) { File root ->
  def libs = new File(root, 'app/libs').list().toList()
  assert libs.any { it.startsWith('micronaut-http-server-netty-') } : "no Micronaut jar in /app/libs: ${libs}"
  assert !libs.any { it.startsWith('fw-micronaut') } : 'the shaded jar is not in the image'
  assert new File(root, 'app/classes/it/fw/notes/Application.class').isFile()
}

// the deployment side (devplugin:k8s, devplugin:compose): golden manifests and compose files
evaluate(new File(basedir, 'verify-deploy.groovy'))

// the generated dev compose stack, up for real: the app healthy, reachable and debuggable, nothing left afterwards
evaluate(new File(basedir, '../../../src/it/fw-compose-up.groovy'))(basedir)
return true

