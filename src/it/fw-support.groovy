// Shared by the fw-spring-boot-* ITs: evaluate(new File(basedir, '../../../src/it/fw-support.groovy')) returns a
// closure checking what devplugin:config prints and writes for a Spring Boot service built by mvn package.
import groovy.json.JsonSlurper

return { File basedir, String version, String starter ->
  def log = new File(basedir, 'build.log').text
  def artifact = basedir.name
  assert new File(basedir, "target/${artifact}-1.0.0.jar").isFile()
  assert new File(basedir, "target/${artifact}-1.0.0.jar.original").isFile() : 'spring-boot:repackage ran'
  assert log.contains("Framework: spring-boot ${version} (detected: dependency"
      + " org.springframework.boot:${starter}:${version})")
  assert log.contains('  probes: liveness GET /actuator/health/liveness, readiness GET'
      + ' /actuator/health/readiness')
  assert log.contains('  variables: port=SERVER_PORT, databaseUrl=SPRING_DATASOURCE_URL,'
      + ' databaseUser=SPRING_DATASOURCE_USERNAME, databasePassword=SPRING_DATASOURCE_PASSWORD,'
      + ' redisHost=SPRING_DATA_REDIS_HOST, redisPort=SPRING_DATA_REDIS_PORT')
  assert log.contains('  environment: MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=true, SERVER_SHUTDOWN=graceful')
  assert log.contains('  when devplugin migrates: SPRING_FLYWAY_ENABLED=false')
  assert log.contains('  left out of the image: org.springframework.boot:spring-boot-devtools,')

  def json = new JsonSlurper().parse(new File(basedir, 'target/devplugin/config-dev.json'))
  assert json.framework.name == 'spring-boot'
  assert json.framework.version == version
  assert json.framework.setting == 'auto'
  assert json.values['service.framework'].value == 'auto'
  assert json.values['service.variables.databaseUrl'].value == 'SPRING_DATASOURCE_URL'
  assert json.values['service.variables.databaseUrl'].origin == 'default'

  // the image: built from the classes and dependencies (not the launcher jar), devtools left out, main class proven
  assert log.contains('Main class it.fw.notes.NotesApplication (from the built jar\'s manifest Start-Class)')
  assert log.contains('Left out of the image (spring-boot development-only, as its own packaging does):'
      + ' org.springframework.boot:spring-boot-devtools')
  def dockerfile = new File(basedir, 'target/devplugin/docker/Dockerfile').text
  assert dockerfile.contains('"http://127.0.0.1:8080/actuator/health/liveness"]') : 'HEALTHCHECK on the liveness probe'
  assert dockerfile.contains('SERVER_PORT="8080"') && dockerfile.contains('MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED="true"')
  assert !dockerfile.contains('SPRING_FLYWAY_ENABLED') : 'turning off migrations at start is the deployment\'s'
  assert dockerfile.contains('"it.fw.notes.NotesApplication"]')
  def run = evaluate(new File(basedir, '../../../src/it/image-run-framework.groovy'))
  run(basedir, [:]) { File root ->
    def libs = new File(root, 'app/libs').list().toList()
    assert libs.any { it.startsWith("spring-boot-${version}") } : "no Boot jar in /app/libs: ${libs}"
    assert !libs.any { it.contains('devtools') } : "devtools in the image: ${libs}"
    assert new File(root, 'app/classes/it/fw/notes/NotesApplication.class').isFile()
    assert !new File(root, "app/libs/${artifact}-1.0.0.jar").exists() : 'the repackaged jar is not in the image'
  }
  return true
}
