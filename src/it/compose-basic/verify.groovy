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
new File(dir, '.env').delete()

// 4
assert log.contains('Skipping devplugin:compose: devplugin.compose.skip is true.')
return true
