package it.devplugin;

public final class Notes {
  public static void main(String[] args) {
    System.out.println("notes");
  }
}
