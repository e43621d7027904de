package it.app;

/** The service of the image-git-dirty IT: only built, never run. */
public final class App {
  public static void main(String[] args) {
    System.out.println("image-git-dirty");
  }
}
