// Shared by image-offline and image-proxy: evaluate(new File(basedir, '../../../src/it/net-support.groovy')) returns
// [forwarder: { upstreamHost, upstreamPort, onConnect, log = null -> ServerSocket },
//  proxy: { user, password, counts, aliases -> ServerSocket }].
// Both run as daemon threads of the invoker's JVM for the whole IT (prebuild to verify); verify.groovy closes them.

def pipe = { InputStream from, OutputStream to, Socket a, Socket b ->
  Thread.startDaemon {
    try {
      from.transferTo(to)
    } catch (IOException ignored) {
    } finally {
      try { a.close() } catch (IOException ignored) {}
      try { b.close() } catch (IOException ignored) {}
    }
  }
}

// a TCP forwarder on a free loopback port; onConnect() is called for each connection and may refuse it (false).
// Each connection is set up in its own thread, so that a slow one never holds up the next accept; `log` (optional)
// gets a timestamped line per connection and every failure, so that a build that found the forwarder silent shows why.
def forwarder = { String upstreamHost, int upstreamPort, Closure onConnect, File log = null ->
  def server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
  def note = { String what -> if (log != null) { synchronized (log) { log << "${java.time.Instant.now()} ${what}\n" } } }
  Thread.startDaemon {
    while (!server.closed) {
      Socket client
      try { client = server.accept() } catch (IOException e) { break }
      def accepted = System.nanoTime()
      Thread.startDaemon {
        try {
          if (!onConnect()) { client.close(); note('refused'); return }
          def upstream = new Socket(upstreamHost, upstreamPort)
          pipe(client.inputStream, upstream.outputStream, client, upstream)
          pipe(upstream.inputStream, client.outputStream, client, upstream)
          note("forwarded port ${client.port} (set up in ${(System.nanoTime() - accepted).intdiv(1_000_000)} ms)")
        } catch (Throwable t) {
          note("failed port ${client.port}: ${t}")
          println "[forwarder to ${upstreamHost}:${upstreamPort}] a connection failed: ${t}"
          try { client.close() } catch (IOException ignored) {}
        }
      }
    }
  }
  server
}

// an HTTP proxy (CONNECT tunnels and absolute-URI requests) on a free loopback port whose CONNECT wants Basic
// authentication (407 until the client sends it),
// and resolves the host names of `aliases` itself (a name only the proxy knows proves the traffic went through it);
// counts['unauthenticated'] (refused CONNECTs), counts['authenticated'] and counts['plain'] (plain-HTTP requests without
// a login) count the requests (first of each connection) it saw,
// counts['targets'] the host:port it carried them to
def proxy = { String user, String password, Map counts, Map aliases ->
  def expected = 'Basic ' + "${user}:${password}".bytes.encodeBase64().toString()
  def server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
  Thread.startDaemon {
    while (!server.closed) {
      Socket client
      try { client = server.accept() } catch (IOException e) { break }
      Thread.startDaemon {
        try {
          def in = new BufferedInputStream(client.inputStream)
          def head = new StringBuilder()
          int c
          while ((c = in.read()) >= 0) {
            head.append((char) c)
            if (head.length() >= 4 && head.substring(head.length() - 4) == '\r\n\r\n') break
          }
          if (!head.toString().endsWith('\r\n\r\n')) { client.close(); return } // a probe that only connected
          def lines = head.toString().split('\r\n')
          def (method, target) = lines[0].split(' ')
          def auth = lines.find { it.toLowerCase().startsWith('proxy-authorization:') }
          def authenticated = auth != null && auth.substring(auth.indexOf(':') + 1).trim() == expected
          if (!authenticated && method != 'CONNECT') {
            // plain-HTTP requests pass without a login: a push's upload cannot be repeated after a 407
            synchronized (counts) { counts.plain = (counts.plain ?: 0) + 1 }
          } else if (!authenticated) {
            synchronized (counts) { counts.unauthenticated = (counts.unauthenticated ?: 0) + 1 }
            client.outputStream.write(('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="it"\r\n'
                + 'Content-Length: 0\r\nConnection: close\r\n\r\n').bytes)
            client.close()
            return
          }
          if (authenticated) {
            synchronized (counts) { counts.authenticated = (counts.authenticated ?: 0) + 1 }
          }
          def hostPort = method == 'CONNECT' ? target : new URI(target).with { "${host}:${port < 0 ? 80 : port}" }
          synchronized (counts) { counts.targets = (counts.targets ?: [] as Set) + hostPort }
          def (host, port) = hostPort.split(':')
          def upstream = new Socket(aliases[host] ?: host, port as int)
          if (method == 'CONNECT') {
            client.outputStream.write('HTTP/1.1 200 Connection established\r\n\r\n'.bytes)
          } else {
            upstream.outputStream.write(head.toString().bytes) // absolute-form request: the registry accepts it
          }
          pipe(in, upstream.outputStream, client, upstream)
          pipe(upstream.inputStream, client.outputStream, client, upstream)
        } catch (IOException e) {
          client.close()
        }
      }
    }
  }
  server
}

return [forwarder: forwarder, proxy: proxy]
