// The deployment side of a framework app (src/it/fw-*/verify-deploy.groovy): the k8s and compose outputs as golden
// files, the probes and variable names of the framework, no unexpanded ${...} in the manifests, the migrator's own
// DATABASE_* contract for the migration, and kubectl kustomize renders the manifests.
//
//   def deploy = evaluate(new File(basedir, '../../../src/it/fw-deploy.groovy'))
//   deploy(basedir, [liveness: '/q/health/live', readiness: '/q/health/ready', startup: '/q/health/started',
//                    databaseUrl: 'QUARKUS_DATASOURCE_JDBC_URL', password: 'QUARKUS_DATASOURCE_PASSWORD',
//                    config: [QUARKUS_HTTP_PORT: '8080', ...], composeEnv: [...], absent: ['PORT', ...]])
//   deploy(basedir, 'spring-boot')   // the expectations every Spring Boot app with Actuator shares
import java.util.regex.Pattern

def presets = ['spring-boot': [liveness: '/actuator/health/liveness', readiness: '/actuator/health/readiness',
        startup: '/actuator/health/liveness', databaseUrl: 'SPRING_DATASOURCE_URL', password: 'SPRING_DATASOURCE_PASSWORD',
        config: [SERVER_PORT: '8080', SPRING_DATASOURCE_URL: 'jdbc:postgresql://notes-postgres:5432/notes',
                SPRING_DATASOURCE_USERNAME: 'notes', SPRING_DATA_REDIS_HOST: 'notes-redis', SPRING_DATA_REDIS_PORT: '6379',
                MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED: 'true', SERVER_SHUTDOWN: 'graceful',
                SPRING_FLYWAY_ENABLED: 'false', SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE: '20s'],
        composeEnv: [SERVER_PORT: '8080', SPRING_DATASOURCE_URL: 'jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes}',
            SPRING_DATA_REDIS_HOST: 'redis', SPRING_DATA_REDIS_PORT: '6379', SPRING_FLYWAY_ENABLED: 'false'],
        absent: ['PORT', 'DATABASE_URL', 'DATABASE_USER', 'REDIS_URL']]]

return { File basedir, def expectation ->
  Map expect = expectation instanceof Map ? expectation : presets[expectation]
  def golden = evaluate(new File(basedir, '../../../src/it/golden.groovy'))
  // dev deploys the image this build pushed, pinned by its digest (which changes with every plugin build, as the
  // image carries the plugin's migrator): digests and the Job name hashed over them are masked
  golden.check(basedir, 'target/devplugin/k8s/dev', 'k8s/dev', true)
  golden.check(basedir, 'target/devplugin/compose', 'compose', true)
  golden.check(basedir, 'target/devplugin/compose/.env.example', 'compose/.env.example', true)

  // "  KEY: value" or "  KEY: \"value\"" on a line of its own
  def entry = { String key, String value -> Pattern.compile('(?m)^\\s+' + Pattern.quote(key) + ': "?'
      + Pattern.quote(value) + '"?$') }
  def key = { String k -> Pattern.compile('(?m)^\\s+' + Pattern.quote(k) + ':') }

  def dir = new File(basedir, 'target/devplugin/k8s/dev')
  def configMap = new File(dir, 'configmap-notes-config.yaml').text
  def deployment = new File(dir, 'deployment-notes.yaml').text
  def job = dir.listFiles().find { it.name.startsWith('job-notes-migrate-') }.text
  [livenessProbe: expect.liveness, readinessProbe: expect.readiness, startupProbe: expect.startup].each { probe, path ->
    def block = (deployment =~ /(?s)${probe}:\n(.*?)\n {8}\w/)
    assert block.find() : "no ${probe} in ${deployment}"
    assert block.group(1).contains("path: ${path}") : "${probe}: ${block.group(1)}"
  }
  expect.config.each { k, v -> assert configMap =~ entry(k, v) : "ConfigMap lacks ${k}: ${v}:\n${configMap}" }
  expect.absent.each { assert !(configMap =~ key(it)) : "ConfigMap holds ${it}" }
  assert deployment.contains("- name: ${expect.password}\n")
  // the migration Job keeps the migrator's own contract, taking the values from the app's names
  ['DATABASE_URL', 'DATABASE_USER', 'DATABASE_PASSWORD'].each { assert job.contains("- name: ${it}\n") }
  assert job.contains("key: ${expect.databaseUrl}\n")
  assert !job.contains("- name: ${expect.password}\n")
  dir.eachFile { f -> assert !f.text.contains('${') : "${f.name} holds an unexpanded \${...}" }

  def kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find { new File(it).canExecute() } ?: 'kubectl'
  def p = [kubectl, 'kustomize', dir.path].execute()
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  assert p.exitValue() == 0 : "kubectl kustomize ${dir} failed: ${err}"
  assert out.toString().contains('kind: Deployment') && out.toString().contains("path: ${expect.readiness}")

  def compose = new File(basedir, 'target/devplugin/compose/docker-compose.yml').text
  def app = compose.substring(compose.indexOf('\n  notes:\n'), compose.indexOf('\n  migrate:\n'))
  def migrate = compose.substring(compose.indexOf('\n  migrate:\n'), compose.indexOf('\n  postgres:\n'))
  expect.composeEnv.each { k, v -> assert app =~ entry(k, v) : "compose lacks ${k}: ${v}:\n${app}" }
  expect.absent.each { assert !(app =~ key(it)) : "compose's app holds ${it}" }
  assert app.contains("http://127.0.0.1:8080${expect.readiness}")
  assert migrate =~ entry('DATABASE_URL', 'jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes}')
  assert migrate =~ key('DATABASE_USER') && migrate =~ key('DATABASE_PASSWORD')
  assert !(migrate =~ key(expect.databaseUrl))
  return true
}
