import groovy.json.JsonSlurper

// A real Quarkus 3.33 service (quarkus-bom, rest, smallrye-health, jdbc-postgresql, flyway, redis-client) built into
// the fast-jar layout by quarkus-maven-plugin; devplugin:config bound at package prints the framework;
// image and dockerfile next to it; the pushed image runs under podman (src/it/image-run-framework.groovy) after its
// migrator applied the SQL and the Java migration from the app's jar, as compose's migrate service and the
// Kubernetes Job run it (DEVPLUGIN_APP_CLASSPATH of the fast-jar layout); the compose stack comes up
// (src/it/fw-compose-up.groovy).
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

// the image: the fast-jar layout as layers, run by quarkus-run.jar
assert log.contains('Quarkus fast-jar from ')
assert log =~ /quarkus boot libraries \(\d+\), quarkus libraries \(\d+\), quarkus runner \(1\), quarkus generated \(\d+\), application \(1\)/
def dockerfile = new File(basedir, 'target/devplugin/docker/Dockerfile').text
assert dockerfile.contains('ENTRYPOINT ["java","-jar","/app/quarkus-run.jar"]')
assert dockerfile.contains('"http://127.0.0.1:8080/q/health/live"]') : 'HEALTHCHECK on the liveness probe'
assert dockerfile.contains('QUARKUS_HTTP_PORT="8080"')
def run = evaluate(new File(basedir, '../../../src/it/image-run-framework.groovy'))
// Agroal's 5 s acquisition timeout failed under load on this machine
run(basedir, [QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT: '60S']) { File root ->
  assert new File(root, 'app/quarkus-run.jar').isFile()
  assert new File(root, 'app/quarkus/quarkus-application.dat').isFile()
  assert new File(root, 'app/lib/boot').list().any { it.startsWith('io.quarkus.quarkus-bootstrap-runner') }
  assert new File(root, 'app/app').list().toList() == ['fw-quarkus-1.0.0.jar']
}

// the deployment side (devplugin:k8s, devplugin:compose): golden manifests and compose files
evaluate(new File(basedir, 'verify-deploy.groovy'))

// the generated dev compose stack, up for real: the migrate service finds the migrations in the fast-jar layout,
// the app is healthy, reachable and debuggable (the agent on quarkus-run.jar's command line), nothing left afterwards
evaluate(new File(basedir, '../../../src/it/fw-compose-up.groovy'))(basedir)
return true

