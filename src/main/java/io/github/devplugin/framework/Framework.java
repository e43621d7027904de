package io.github.devplugin.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The application framework of a service, which decides its probes, variable names and launch. */
public enum Framework {
  SPRING_BOOT("Spring Boot"),
  QUARKUS("Quarkus"),
  MICRONAUT("Micronaut"),
  PLAIN("plain Java");

  /** The configuration value that asks for detection ({@code <service><framework>auto</framework>}). */
  public static final String AUTO = "auto";

  private final String displayName;

  Framework(String displayName) {
    this.displayName = displayName;
  }

  /** How people name it: {@code Spring Boot}. */
  public String displayName() {
    return displayName;
  }

  /** How configuration spells it: {@code spring-boot}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The framework a configuration value names ({@code spring-boot}, case-insensitive), if any. */
  public static Optional<Framework> fromLabel(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Framework f : values()) {
      if (f.label().equals(v)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Every accepted value of {@code <service><framework>}: {@code auto} and each label. */
  public static List<String> settings() {
    List<String> out = new ArrayList<>();
    out.add(AUTO);
    for (Framework f : values()) {
      out.add(f.label());
    }
    return List.copyOf(out);
  }
}
