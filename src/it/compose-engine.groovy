// A compose client driven against the Podman API, for the compose ITs that start the generated stack for real.
// Loaded by the ITs' verify.groovy with evaluate(); returns the ComposeEngine class.
//
// What this machine needs (measured, see the compose section of CONTRIBUTING.md):
// - the client is Debian's docker-compose 1.29 on DOCKER_HOST=$DEVPLUGIN_TEST_PODMAN_SOCKET (podman system service):
//   it honours depends_on conditions and runs exec-form health checks without a shell. Debian's podman-compose 1.0.3
//   ignores the conditions and wraps every health check in /bin/sh -c, which images without a shell cannot run.
// - Podman schedules health checks with systemd timers; without systemd (this machine) they never run, so a
//   container stays "starting". A driver thread runs `podman healthcheck run` on the project's containers instead.
// - bridge networks work (netavark + aardvark-dns): services reach each other by name, ports publish to the host.

class ComposeEngine {
  final File dir
  final String project
  final List<String> files
  final String socket
  final StringBuilder log = new StringBuilder()
  private volatile boolean driving
  private Thread driver

  ComposeEngine(File dir, String project, List<String> files) {
    this.dir = dir
    this.project = project
    this.files = files
    this.socket = System.getenv('DEVPLUGIN_TEST_PODMAN_SOCKET')
    def missing = []
    if (!socket) missing << 'DEVPLUGIN_TEST_PODMAN_SOCKET'
    if (!System.getenv('CONTAINERS_CONF')) missing << 'CONTAINERS_CONF'
    if (!missing.isEmpty()) {
      throw new AssertionError("The compose engine ITs need the Podman API and its configuration (${missing} not"
          + " set). Run: scripts/test-env.sh up && eval \"\$(scripts/test-env.sh env)\", then the build again.")
    }
    if (run(['docker-compose', 'version'], 30).exit != 0) {
      throw new AssertionError('docker-compose is not installed. Run scripts/test-env.sh up (it installs it).')
    }
  }

  Map run(List cmd, long timeoutSeconds, Map<String, String> env = [:]) {
    cmd = cmd.collect { it.toString() }
    def pb = new ProcessBuilder(cmd as List<String>).directory(dir).redirectErrorStream(true)
    env.each { k, v -> pb.environment().put(k.toString(), v.toString()) }
    pb.environment().put('DOCKER_HOST', socket)
    pb.environment().put('COMPOSE_HTTP_TIMEOUT', '300')
    def p = pb.start()
    def out = new StringBuilder()
    def reader = Thread.start { p.inputStream.eachLine { out.append(it).append('\n') } }
    boolean done = p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)
    if (!done) {
      p.destroyForcibly()
    }
    reader.join(5000)
    synchronized (log) {
      log.append('$ ').append(cmd.join(' ')).append('\n').append(out)
    }
    return [exit: done ? p.exitValue() : -1, out: out.toString(), timedOut: !done]
  }

  Map compose(List<String> args, long timeoutSeconds) {
    def cmd = ['docker-compose', '-p', project]
    files.each { cmd += ['-f', it] }
    return run(cmd + args, timeoutSeconds)
  }

  /** Runs the health checks of the project's running containers every two seconds, as systemd would. */
  void startHealthDriver() {
    driving = true
    driver = Thread.start {
      while (driving) {
        try {
          runHealthChecks()
        } catch (Exception e) {
          synchronized (log) {
            log.append('health driver: ').append(e).append('\n')
          }
        }
        sleep(2000)
      }
    }
  }

  private void runHealthChecks() {
    def filter = "label=com.docker.compose.project=${project}".toString()
    def ps = new ProcessBuilder(['podman', 'ps', '-q', '--filter', filter]).redirectErrorStream(true).start()
    def ids = ps.inputStream.text.readLines().findAll { it.trim() }
    ps.waitFor()
    ids.each { id ->
      // exits non-zero for a failing check and for a container without one: both are fine here
      def h = new ProcessBuilder(['podman', 'healthcheck', 'run', id]).redirectErrorStream(true).start()
      h.inputStream.text
      h.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)
    }
  }

  void stopHealthDriver() {
    driving = false
    driver?.join(70000)
  }

  String container(String service) {
    return "${project}_${service}_1"
  }

  String inspect(String service, String format) {
    def p = new ProcessBuilder(['podman', 'inspect', '--format', format, container(service)]).redirectErrorStream(true)
        .start()
    def text = p.inputStream.text.trim()
    p.waitFor()
    return text
  }

  String health(String service) {
    return inspect(service, '{{.State.Health.Status}}')
  }

  /** Waits until the service is healthy; fails with its health log and the container log when it does not get there. */
  void awaitHealthy(String service, long timeoutSeconds) {
    long end = System.currentTimeMillis() + timeoutSeconds * 1000
    String status = ''
    while (System.currentTimeMillis() < end) {
      status = health(service)
      if (status == 'healthy') {
        return
      }
      sleep(1000)
    }
    def logs = run(['podman', 'logs', '--tail', '40', container(service)], 30).out
    throw new AssertionError("${service} did not become healthy within ${timeoutSeconds} s (status '${status}').\n"
        + "Health log: ${inspect(service, '{{json .State.Health.Log}}')}\nContainer log:\n${logs}\n"
        + "Compose log:\n${log}")
  }

  /**
   * Writes {@code .env} from the generated {@code .env.example}, with {@code values} (each must be a variable the
   * example lists) in place of the defaults.
   */
  void writeEnv(Map values) {
    def example = new File(dir, '.env.example').text
    values.keySet().each { k -> assert example =~ /(?m)^${k}=/ : ".env.example has no ${k}" }
    new File(dir, '.env').text = example.readLines().collect { line ->
      def m = line =~ /^([A-Z_][A-Z0-9_]*)=/
      m.find() && values.containsKey(m.group(1)) ? "${m.group(1)}=${values[m.group(1)]}" : line
    }.join('\n') + '\n'
  }

  /** Stops and removes the project's containers, network and volumes; safe to call twice. */
  void down() {
    stopHealthDriver()
    compose(['down', '-v', '--remove-orphans', '-t', '5'], 180)
  }

  /** The service's /health answers 200 and reports PostgreSQL and Redis UP. */
  static void assertHealthUp(int appPort) {
    def health = new URL("http://127.0.0.1:${appPort}/health").openConnection()
    assert health.responseCode == 200
    def body = new groovy.json.JsonSlurper().parse(health.inputStream)
    assert body.status == 'UP' && body.checks.postgres == 'UP' && body.checks.redis == 'UP' : body
  }

  /**
   * POST /notes/{key} of the framework ITs' apps: writes {@code value} to PostgreSQL and Redis and answers with both
   * as read back, as JSON ({"database":..,"redis":..}) or text (database=.. redis=..); returns them as a map.
   */
  static Map postNote(int appPort, String key, String value) {
    def c = new URL("http://127.0.0.1:${appPort}/notes/${key}").openConnection()
    c.requestMethod = 'POST'
    c.doOutput = true
    c.setRequestProperty('Content-Type', 'text/plain')
    c.outputStream.withCloseable { out -> out.write(value.getBytes('UTF-8')) }
    assert c.responseCode == 200 : "POST /notes/${key}: ${c.responseCode}"
    def body = c.inputStream.getText('UTF-8').trim()
    return body.startsWith('{') ? new groovy.json.JsonSlurper().parseText(body)
        : body.split(/\s+/).collectEntries { kv -> kv.split('=', 2) as List }
  }

  /** The debug port answers the JDWP handshake. */
  static void assertJdwpHandshake(int debugPort) {
    def jdwp = new Socket('127.0.0.1', debugPort)
    try {
      jdwp.outputStream.write('JDWP-Handshake'.bytes)
      def reply = new byte[14]
      new DataInputStream(jdwp.inputStream).readFully(reply)
      assert new String(reply) == 'JDWP-Handshake'
    } finally {
      jdwp.close()
    }
  }

  static int freePort() {
    def s = new ServerSocket(0, 0, InetAddress.getByName('127.0.0.1'))
    try {
      return s.localPort
    } finally {
      s.close()
    }
  }
}
return ComposeEngine
