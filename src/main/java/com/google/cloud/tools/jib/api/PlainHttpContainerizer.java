package com.google.cloud.tools.jib.api;

import com.google.cloud.tools.jib.builder.TimerEventDispatcher;
import com.google.cloud.tools.jib.builder.steps.BuildResult;
import com.google.cloud.tools.jib.configuration.BuildContext;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * devplugin's way into {@link JibContainerBuilder#containerize}: the same build, with jib-core told beforehand which
 * registries speak plain HTTP.
 *
 * <p>jib-core's HTTP client sends the first request to every registry over HTTPS, then over HTTPS without
 * certificate checks, and only then over plain HTTP, and remembers the outcome for the rest of that build only. For
 * a plain-HTTP registry (one on this machine, typically) each build thus sets up the JVM's TLS stack and fails two
 * handshakes before its first real request: about half a second of a small incremental build. devplugin's registry
 * probe has just seen such a registry answer {@code GET /v2/} over plain HTTP ({@code
 * io.github.devplugin.image.RegistryCheck}), so this class writes that outcome into the client's failover history
 * before the build starts, exactly as jib-core would have after its own attempts.
 *
 * <p>It lives in jib-core's package for the package-private steps of {@code containerize} ({@code toBuildContext},
 * {@code Containerizer.run}, {@code JibContainer.from}), which the compiler checks against the bundled jib-core. The
 * failover history and the client are private fields, reached by reflection: when a jib-core version lacks them,
 * {@link #available()} is false and devplugin builds through the plain {@code containerize} (the build is then only
 * slower). {@code PlainHttpContainerizerTest} fails when the bundled jib-core no longer has them.
 */
public final class PlainHttpContainerizer {
  private static final Handles HANDLES = Handles.find();

  private PlainHttpContainerizer() {}

  /** The reflective handles, or why they are missing. */
  private record Handles(Field httpClient, Field history, Object http, Method logSources, String problem) {
    static Handles find() {
      try {
        Field httpClient = BuildContext.class.getDeclaredField("httpClient");
        httpClient.setAccessible(true);
        Field history = FailoverHttpClient.class.getDeclaredField("failoverHistory");
        history.setAccessible(true);
        if (!Map.class.isAssignableFrom(history.getType())) {
          return missing("FailoverHttpClient.failoverHistory is a " + history.getType().getName());
        }
        Class<?> failover = Class.forName(FailoverHttpClient.class.getName() + "$Failover", false,
            FailoverHttpClient.class.getClassLoader());
        Object http = null;
        for (Object constant : failover.getEnumConstants()) {
          if (((Enum<?>) constant).name().equals("HTTP")) {
            http = constant;
          }
        }
        if (http == null) {
          return missing("FailoverHttpClient.Failover has no HTTP");
        }
        Method logSources = null;
        try {
          logSources = JibContainerBuilder.class.getDeclaredMethod("logSources", EventHandlers.class);
          logSources.setAccessible(true);
        } catch (NoSuchMethodException e) {
          // only jib-core's debug listing of the layers' files is then left out
        }
        return new Handles(httpClient, history, http, logSources, null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return missing(e.toString());
      }
    }

    private static Handles missing(String problem) {
      return new Handles(null, null, null, null, problem);
    }
  }

  /** True when the bundled jib-core has the failover history this class fills. */
  public static boolean available() {
    return HANDLES.problem() == null;
  }

  /** Why {@link #available()} is false, or null. */
  public static String problem() {
    return HANDLES.problem();
  }

  /**
   * {@code builder.containerize(containerizer)}, with the registries in {@code plainHttp} known to speak plain HTTP.
   *
   * @param plainHttp registries as jib-core's URLs name them, {@code host:port} (an explicit port), that answered a
   *     plain-HTTP request; only honoured when the containerizer allows insecure registries
   */
  public static JibContainer containerize(JibContainerBuilder builder, Containerizer containerizer,
      Set<String> plainHttp) throws InterruptedException, RegistryException, IOException,
      CacheDirectoryCreationException, ExecutionException {
    if (plainHttp.isEmpty() || !available() || !containerizer.getAllowInsecureRegistries()) {
      return builder.containerize(containerizer);
    }
    try (BuildContext context = builder.toBuildContext(containerizer);
        TimerEventDispatcher ignored = new TimerEventDispatcher(context.getEventHandlers(),
            containerizer.getDescription())) {
      seed(context, plainHttp);
      logSources(builder, context.getEventHandlers());
      BuildResult result = containerizer.run(context);
      return JibContainer.from(context, result);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RegistryException r) {
        throw r;
      }
      throw e;
    }
  }

  /** What the failover history of {@code context}'s HTTP client holds for {@code registry}, or null. */
  static Object history(BuildContext context, String registry) throws IllegalAccessException {
    return history(context).get(registry);
  }

  static void seed(BuildContext context, Set<String> plainHttp) {
    try {
      Map<String, Object> history = history(context);
      for (String registry : plainHttp) {
        history.put(registry, HANDLES.http());
      }
    } catch (IllegalAccessException | RuntimeException e) {
      // not seeded: jib-core finds out itself
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> history(BuildContext context) throws IllegalAccessException {
    return (Map<String, Object>) HANDLES.history().get(HANDLES.httpClient().get(context));
  }

  private static void logSources(JibContainerBuilder builder, EventHandlers handlers) {
    if (HANDLES.logSources() == null) {
      return;
    }
    try {
      HANDLES.logSources().invoke(builder, handlers);
    } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
      // a debug listing only
    }
  }
}
