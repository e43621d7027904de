package it.app;

/** The service of the image-engine-context IT: only built, never run. */
public final class App {
  public static void main(String[] args) {
    System.out.println("image-engine-context");
  }
}
