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
  return true
}
