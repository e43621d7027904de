package it.app;

import org.apache.commons.text.StringSubstitutor;

public final class App {
  public static void main(String[] args) {
    System.out.println(StringSubstitutor.replace("hello ${name}", java.util.Map.of("name", "scan")));
  }
}
