package it.other;

/** A second class with a main method: without configuration the main class is ambiguous. */
public final class Tool {
  public static void main(String[] args) {
    System.out.println("tool");
  }
}
