package io.github.devplugin.compose.up;

import io.github.devplugin.core.EnvironmentError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables of the generated {@code .env.example} ({@code devplugin:compose}): every host port is published
 * through a {@code *_PORT} variable, and every variable without a default ({@code DATABASE_PASSWORD=}) is one the
 * compose files require.
 */
public record EnvExample(String text) {
  private static final Pattern PORT_VARIABLE = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*_PORT)=([0-9]{1,5})$");
  private static final Pattern REQUIRED_VARIABLE = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*)=$");

  /** The {@code .env.example} of a compose directory; empty when there is none. */
  public static EnvExample of(Path composeDirectory) {
    Path f = composeDirectory.resolve(".env.example");
    try {
      return new EnvExample(Files.isRegularFile(f) ? Files.readString(f) : "");
    } catch (IOException e) {
      throw new EnvironmentError("Cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** The host-port variables, in file order. */
  public List<String> portVariables() {
    return names(PORT_VARIABLE);
  }

  /** The host-port variables with their default port, in file order. */
  public java.util.Map<String, String> portDefaults() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    Matcher m = PORT_VARIABLE.matcher(text);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  /** The variables without a default (secrets), in file order. */
  public List<String> requiredVariables() {
    return names(REQUIRED_VARIABLE);
  }

  private List<String> names(Pattern p) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
