package it.app;

/** The service of the image-offline IT: only built, never run. */
public final class App {
  public static void main(String[] args) {
    System.out.println("image-offline");
  }
}
