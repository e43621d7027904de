def log = new File(basedir, 'build.log').text
def dir = new File(basedir, 'target/devplugin/compose')
def files = ['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.staging.yml',
             'docker-compose.prod.yml', '.env.example']
files.each { assert new File(dir, it).isFile() : "${it} was not generated" }

// 1 then 2: generated once, then up to date (nothing rewritten)
assert log.contains('Wrote docker-compose.yml, docker-compose.override.yml, docker-compose.prod.yml,'
    + ' docker-compose.staging.yml, .env.example in ')
assert log.contains('for the environments dev, prod, staging; validated against the Compose Specification schema.')
assert log.contains('are up to date (nothing changed in the configuration or the image).')

// the whole generated directory: docker-compose.yml, the override files, .env.example (hidden, so checked apart)
def golden = evaluate(new File(basedir, '../../../src/it/golden.groovy'))
golden.check(basedir, 'target/devplugin/compose', 'compose')
golden.check(basedir, 'target/devplugin/compose/.env.example', 'compose/.env.example')
def example = new File(dir, '.env.example').text
def secrets = ['ORDERS_DB_PASSWORD', 'ORDERS_PAYMENTS_TOKEN']
files.each { f -> secrets.each { s -> assert !new File(dir, f).text.contains(s) : "${f} names the secret's source" } }

// 3: next to the POM (here: deploy/), with a .gitignore keeping .env out of git; paths relative to deploy/
def deploy = new File(basedir, 'deploy')
golden.check(basedir, 'deploy', 'deploy')
golden.check(basedir, 'deploy/.env.example', 'deploy/.env.example')
assert new File(deploy, '.gitignore').text.contains('\n.env\n')

// a real compose client reads the files: without .env it refuses to start (the secrets are required) ...
def compose = { File d, List args ->
  def p = new ProcessBuilder(['docker-compose'] + args).directory(d).redirectErrorStream(true).start()
  def out = p.inputStream.text
  [exit: p.waitFor(), out: out]
}
def none = compose(dir, ['-p', 'itbasic', 'config'])
assert none.exit != 0 && none.out.contains('DATABASE_PASSWORD is not set: copy .env.example to .env') : none.out
// ... with .env it merges dev (override read by default) and prod (named with -f) as the files intend
new File(dir, '.env').text = example.replace('\nDATABASE_PASSWORD=\n', '\nDATABASE_PASSWORD=x\n')
    .replace('\nPAYMENTS_TOKEN=\n', '\nPAYMENTS_TOKEN=y\n')
def devConfig = compose(dir, ['-p', 'itbasic', 'config'])
assert devConfig.exit == 0 : devConfig.out
assert devConfig.out.contains('jdwp') && devConfig.out.contains('/app/classes')
def prodConfig = compose(dir, ['-p', 'itbasic', '-f', 'docker-compose.yml', '-f', 'docker-compose.prod.yml', 'config'])
assert prodConfig.exit == 0 : prodConfig.out
assert !prodConfig.out.contains('jdwp') && !prodConfig.out.contains('/app/classes') && !prodConfig.out.contains('5005')
assert prodConfig.out.contains('restart: always') && prodConfig.out.contains('target: prod')
assert prodConfig.out =~ /memory: '?1g'?/ || prodConfig.out.contains('memory: 1073741824') : prodConfig.out

// compose builds the service from the staged Dockerfile when no image was built (no image.json here): build: names
// target/devplugin/docker (the golden files above); here it really builds, through the Podman API with Debian's
// docker-compose, on the test base image (the Dockerfile's default BASE_IMAGE is a public image this machine cannot
// pull), dev target as docker-compose.yml asks
def socket = System.getenv('DEVPLUGIN_TEST_PODMAN_SOCKET')
def base = System.getenv('DEVPLUGIN_TEST_BASE_IMAGE')
assert socket && base : 'the build check needs the test environment: scripts/test-env.sh up && eval "$(scripts/test-env.sh env)"'
assert new File(basedir, 'target/devplugin/docker/Dockerfile').isFile()
def buildProject = "itbasicbuild${ProcessHandle.current().pid()}"
def engine = { List args ->
  def pb = new ProcessBuilder(args.collect { it.toString() }).directory(dir).redirectErrorStream(true)
  pb.environment().put('DOCKER_HOST', socket)
  pb.environment().put('COMPOSE_HTTP_TIMEOUT', '300')
  def p = pb.start()
  def out = p.inputStream.text
  [exit: p.waitFor(), out: out]
}
try {
  def built = engine(['docker-compose', '-p', buildProject, 'build', '--build-arg', "BASE_IMAGE=${base}", 'orders'])
  assert built.exit == 0 : built.out
  assert built.out.contains("Successfully tagged") && built.out.contains("${buildProject}_orders") : built.out
  // the built image is the service's: its entrypoint runs the main class of the jar plugin's manifest
  def inspect = engine(['curl', '-sf', '--unix-socket', socket.replaceFirst('^unix://', ''),
      "http://d/v1.40/images/${buildProject}_orders/json"])
  assert inspect.exit == 0 : inspect.out
  def config = new groovy.json.JsonSlurper().parseText(inspect.out).Config
  assert config.Entrypoint.join(' ').contains('it.devplugin.Main') : config.Entrypoint
  assert config.User == '10001:10001' || config.User == '10001' : config.User
} finally {
  engine(['curl', '-s', '--unix-socket', socket.replaceFirst('^unix://', ''), '-X', 'DELETE',
      "http://d/v1.40/images/${buildProject}_orders?force=true"])
  new File(dir, '.env').delete()
}

// 4
assert log.contains('Skipping devplugin:compose: devplugin.compose.skip is true.')
return true
