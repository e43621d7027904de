package io.github.devplugin.sbom;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a manifest and a blob and pushes a blob with the SBOM's registry client in a JVM of its own (as a Maven run
 * is: in a shared test JVM, other tests' JDK HTTP clients leave their own threads), then prints every thread started
 * since that is RUNNABLE in a native method (a selector's epoll_wait, a socket read: HotSpot's exit waits ~300 ms for
 * such a thread), one per line, and "DONE". Arguments: registry (host:port), user, password.
 */
public final class RegistryExitMain {
  public static void main(String[] args) throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    RegistryClient.initialise();
    RegistryClient c = new RegistryClient(args[0], "team/app", true, args[1], args[2]);
    c.manifest("1.0");
    try (InputStream in = c.blob("sha256:aaa")) {
      in.readAllBytes();
    }
    c.pushBlob("sha256:new", new byte[] {1});
    // the keep-alive cache's timer sleeps (TIMED_WAITING), which HotSpot's exit does not wait for
    Thread.getAllStackTraces().forEach((t, stack) -> {
      if (!before.contains(t) && t.getState() == Thread.State.RUNNABLE && stack.length > 0
          && stack[0].isNativeMethod()) {
        System.out.println(t.getName() + " " + Arrays.stream(stack).limit(4).map(String::valueOf)
            .collect(Collectors.joining(" < ")));
      }
    });
    System.out.println("DONE");
  }
}
