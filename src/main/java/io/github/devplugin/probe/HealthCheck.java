package io.github.devplugin.probe;

import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;

/**
 * A health probe that runs inside the service's image, which has a JRE but no shell and no curl: compose health
 * checks and the Dockerfile's {@code HEALTHCHECK} call it. Exits 0 when the URL answers 2xx within the timeout
 * (or, for {@code tcp://host:port}, when a connection is accepted), 1 otherwise. Uses only {@code java.base}. The image goal copies this class to
 * {@link io.github.devplugin.image.ImageLayout#PROBE_DIR}.
 */
public final class HealthCheck {
  private HealthCheck() {}

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/health";
    int timeout = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    try {
      if (url.startsWith("tcp://")) {
        String address = url.substring("tcp://".length());
        int colon = address.lastIndexOf(':');
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
              timeout);
        }
        System.exit(0);
      }
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      c.setConnectTimeout(timeout);
      c.setReadTimeout(timeout);
      int status = c.getResponseCode();
      System.exit(status >= 200 && status < 300 ? 0 : 1);
    } catch (Exception e) {
      System.err.println("health check of " + url + " failed: " + e);
      System.exit(1);
    }
  }
}
