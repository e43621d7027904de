// devplugin:up / devplugin:down: see invoker.properties for the four steps; build.log holds all of them in order.
def log = new File(basedir, 'build.log').text
def projects = (log =~ /devplugin:up: starting project (it-up-lifecycle-up-[0-9a-f]{8}) /).collect { it[1] }
assert projects.size() == 5 : "expected 5 stacks (a and b at once, twice, then a): ${projects}"
assert projects.toSet().size() == 5 : "two builds shared a compose project: ${projects}"
def (a1, b1) = projects[0..1]
def a4 = projects[4]

// 1: both stacks up at once, each test wrote the first note of its own database; -Ddevplugin.keep left both up and
// said how to take them down
assert log.contains('on Podman at unix://') && log.contains('(<image><dockerHost>)')
assert log.contains('(devplugin runs its health check every 2 s: Podman runs none without systemd timers)')
[a1, b1].each { p ->
  assert log.contains("devplugin:down: -Ddevplugin.keep is set: project ${p} stays up. Take it down with mvn"
      + ' devplugin:down') : "step 1 kept ${p}"
}
assert log.contains('devplugin:up: devplugin.up.jdbcUrl = jdbc:postgresql://127.0.0.1:')

// 2: devplugin:down removed the two kept stacks: they were still there
// (-T 2: either module may have started first; each module is its own service, notes-a and notes-b)
def removedServices = [a1, b1].collect { p ->
  ['notes-a', 'notes-b'].find { service ->
    log.contains("devplugin:down: removed project ${p}: 4 containers [migrate, ${service}, postgres, redis], 1"
        + ' networks [' + p + '_default], 2 volumes [' + p + '_postgres-data, ' + p + '_redis-data].')
  }
}
assert removedServices.toSet() == ['notes-a', 'notes-b'].toSet() : "step 2 removed ${[a1, b1]}: ${removedServices}"

// 3: one reactor (-T 2), both modules failing while the other's stack is up (either may have started first)
def notReady = (log =~ /devplugin:up: service 'notes-b' of project (it-up-lifecycle-up-[0-9a-f]{8}) did not become ready: /)
assert notReady.find() : 'step 3: the service that never became healthy is named'
def b3 = notReady.group(1)
assert [projects[2], projects[3]].contains(b3) : "step 3 started ${projects[2..3]}, b's is ${b3}"
def a3 = [projects[2], projects[3]].find { it != b3 }
// a: the failing test; down ran after it, then failsafe's verify failed the build
def step3a = log.substring(log.indexOf("starting project ${a3} "))
int removed = step3a.indexOf("devplugin:down: removed project ${a3}: 4 containers [migrate, notes-a, postgres, redis]")
int failed = step3a.indexOf('There are test failures')
assert removed > 0 && failed > removed : 'down runs before failsafe:verify fails the build'
assert step3a.contains('the test fails on request (-Dit.fail=true)')
// b: never healthy: the service's health checks and last log lines shown, everything removed
def step3b = log.substring(log.indexOf("starting project ${b3} "))
def notReadyB = "devplugin:up: service 'notes-b' of project ${b3} did not become ready: "
// unhealthy once its 5 s start period (-Dit.b.startPeriod) is over, long before up's 300 s wait runs out
assert step3b.contains(notReadyB + 'its health check failed') : 'the service that never became healthy is named'
assert !step3b.contains(notReadyB + 'it is still starting') : 'the start period of <compose><startPeriod> applies'
assert step3b.contains('Its last log lines:') && step3b.contains('  | ') : 'the service log is shown'
assert step3b.contains('Its last health checks:\n') && step3b.contains('  | exit 1') : 'the health-check results are shown'
assert step3b.contains("Everything of project ${b3} was removed.")
assert step3b.contains('check <service><healthPath> (/never) answers 200')
assert !log.contains('\tat io.github.devplugin') : 'no stack trace'

// 4: failsafe failed between up and down (no test matched -Dit.test), so down never ran: up's StackGuard took the
// stack down when Maven exited
def step4 = log.substring(log.indexOf("starting project ${a4} "))
assert step4.contains('No tests matching pattern') : 'step 4 fails in failsafe:integration-test'
assert !step4.contains("devplugin:down: removed project ${a4}") : 'down did not run in step 4'
assert step4.contains("devplugin:up: the build ended before devplugin:down ran for project ${a4}")
assert step4.contains("devplugin:up: removed project ${a4}: 4 containers [migrate, notes-a, postgres, redis], 1"
    + ' networks, 2 volumes.')

// after every step: nothing of any project is left, asked through the engine
def socket = System.getenv('DEVPLUGIN_TEST_PODMAN_SOCKET')
def engine = { List args ->
  def p = new ProcessBuilder(['podman', '--url', socket] + args).redirectErrorStream(true).start()
  def out = p.inputStream.text
  assert p.waitFor() == 0 : "podman ${args}: ${out}"
  return out.trim()
}
projects.each { p ->
  def label = "label=com.docker.compose.project=${p}".toString()
  assert engine(['ps', '-a', '-q', '--filter', label]).isEmpty() : "containers of ${p} left"
  assert engine(['network', 'ls', '-q', '--filter', label]).isEmpty() : "networks of ${p} left"
  assert engine(['volume', 'ls', '-q', '--filter', label]).isEmpty() : "volumes of ${p} left"
}
['a', 'b'].each { m -> assert !new File(basedir, "${m}/target/devplugin/up/stack.json").exists() }
return true
