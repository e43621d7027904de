package it.reactor.a;

import com.sun.net.httpserver.HttpServer;
import it.reactor.lib.Greeting;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** svc-a: /health, and / answering with the library's greeting. */
public final class App {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/health", x -> {
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.createContext("/", x -> {
      byte[] body = Greeting.greet("svc-a").getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
  }
}
