package it.reactor.lib;

/** The library's class, which svc-a calls. */
public final class Greeting {
  private Greeting() {}

  public static String greet(String who) {
    return "hello from the library to " + who;
  }
}
