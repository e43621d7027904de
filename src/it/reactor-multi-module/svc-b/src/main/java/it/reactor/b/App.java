package it.reactor.b;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

/** svc-b: /health only. */
public final class App {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/health", x -> {
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.start();
  }
}
