package io.github.devplugin.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimListBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.inject.Singleton;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code apply} goal run as a Mojo against the fabric8 mock server in expectations mode, reached through a
 * kubeconfig file the test writes: {@code <kubernetes><context>} picks the cluster (the current context points at a
 * closed port), parameters reach the core, the skip switch does no work, and errors become Maven's exceptions with
 * the message naming the fix.
 */
@MojoTest
class ApplyMojoTest {
  static final String POM = "src/test/resources/unit/k8s-apply/pom.xml";
  static final String NS = "notes-dev";
  /** Where nothing listens: a cluster that cannot be reached. */
  static final String CLOSED = "http://127.0.0.1:1";
  static final String OURS = URLEncoder.encode("app.kubernetes.io/instance=notes-dev,"
      + "app.kubernetes.io/managed-by=devplugin", StandardCharsets.UTF_8);
  /** What the POM generates for dev, in apply order (no database: no migration Job; one replica: no PDB). */
  static final List<String> OBJECTS = List.of("/api/v1/namespaces/" + NS,
      "/api/v1/namespaces/" + NS + "/serviceaccounts/notes", "/api/v1/namespaces/" + NS + "/configmaps/notes-config",
      "/api/v1/namespaces/" + NS + "/persistentvolumeclaims/notes-data",
      "/apis/networking.k8s.io/v1/namespaces/" + NS + "/networkpolicies/notes",
      "/api/v1/namespaces/" + NS + "/services/notes",
      "/apis/apps/v1/namespaces/" + NS + "/deployments/notes");

  private final Path build = Path.of(MojoExtension.getBasedir(), "target", "unit-k8s-apply").toAbsolutePath();
  KubernetesMockServer server;
  Kubeconfig kubeconfig;
  final RecordingMavenLog log = new RecordingMavenLog();
  /** The bodies of the PATCH requests, by path. */
  final Map<String, String> sent = new java.util.concurrent.ConcurrentHashMap<>();

  @Provides
  @Singleton
  MavenProject project() {
    return unitProject(build);
  }

  /** The MavenProject the k8s goal tests run in, building into {@code build}. */
  static MavenProject unitProject(Path build) {
    MavenProject p = new MavenProject();
    p.setGroupId("unit.devplugin");
    p.setArtifactId("notes");
    p.setVersion("1.0.0");
    p.setFile(new File(MojoExtension.getBasedir(), POM));
    p.getBuild().setDirectory(build.toString());
    p.getBuild().setOutputDirectory(build.resolve("classes").toString());
    p.getModel().setProperties(new Properties());
    return p;
  }

  @BeforeAll
  static void quiet() {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
  }

  @BeforeEach
  void start() throws IOException {
    deleteTree(build);
    server = new KubernetesMockServer(false);
    server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("32").withGitVersion("v1.32.0")
        .build());
    server.init();
  }

  @AfterEach
  void stop() {
    if (kubeconfig != null) {
      kubeconfig.close();
    }
    server.destroy();
  }

  String mockUrl() {
    return server.url("/").replaceAll("/$", "");
  }

  /** The kubeconfig a user has: the current context elsewhere, the context the POM names on the mock server. */
  void kubeconfig(Map<String, String> contexts, String current) {
    kubeconfig = new Kubeconfig(build.resolve("kube/config"), contexts, current);
  }

  /** The referenced Secret exists with {@code keys}; every object is accepted; the Deployment is rolled out. */
  void cluster(String... secretKeys) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName("notes-secrets").withNamespace(NS)
        .endMetadata();
    for (String k : secretKeys) {
      secret.addToData(k, "eA==");
    }
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/secrets/notes-secrets").andReturn(200,
        secret.build()).always();
    for (String p : OBJECTS) {
      server.expect().patch().withPath(p + "?fieldManager=devplugin&force=true").andReply(200, this::echo).once();
      server.expect().patch().withPath(p + "?dryRun=All&fieldManager=devplugin&force=true")
          .andReply(200, this::echo).once();
    }
    server.expect().get().withPath(OBJECTS.get(OBJECTS.size() - 1)).andReturn(200, new DeploymentBuilder()
        .withNewMetadata().withName("notes").withNamespace(NS).withGeneration(1L).withResourceVersion("1")
        .endMetadata().withNewSpec().withReplicas(1).endSpec().withNewStatus().withObservedGeneration(1L)
        .withReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1).endStatus().build()).always();
  }

  /** Answers a server-side apply with the object sent, as a server that stored it would. */
  String echo(RecordedRequest r) {
    String body = r.getBody().readUtf8();
    sent.put(r.getPath().replaceAll("\\?.*", ""), body);
    return body;
  }

  List<RecordedRequest> requests() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  /** The requests that change something, as {@code METHOD path?query} with the query parameters sorted. */
  static List<String> writes(List<RecordedRequest> requests) {
    return requests.stream().filter(r -> !r.getMethod().equals("GET"))
        .map(r -> r.getMethod() + " " + sortedQuery(r.getPath())).toList();
  }

  static String sortedQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q + 1)
        + String.join("&", java.util.Arrays.stream(path.substring(q + 1).split("&")).sorted().toList());
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  void appliesToTheClusterOfTheContextNamedInThePom(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("elsewhere", CLOSED, "mock", mockUrl()), "elsewhere");
    cluster("api-token");
    mojo.setLog(log);

    mojo.execute();

    List<RecordedRequest> all = requests();
    assertThat(writes(all)).containsExactlyElementsOf(OBJECTS.stream()
        .map(p -> "PATCH " + p + "?fieldManager=devplugin&force=true").toList());
    assertThat(all).filteredOn(r -> r.getMethod().equals("PATCH"))
        .allMatch(r -> r.getHeader("Content-Type").startsWith("application/apply-patch+yaml"))
        .allMatch(r -> "Bearer unit-test-token".equals(r.getHeader("Authorization")));
    assertThat(sent.get("/api/v1/namespaces/" + NS + "/persistentvolumeclaims/notes-data"))
        .contains("\"storage\":\"1Gi\"").contains("\"app.kubernetes.io/managed-by\":\"devplugin\"");
    assertThat(sent.get(OBJECTS.get(OBJECTS.size() - 1))).contains("\"claimName\":\"notes-data\"")
        .contains("\"mountPath\":\"/var/lib/notes\"");
    assertThat(log.text()).contains("Connected to Kubernetes v1.32.0 at " + mockUrl() + "/ (context mock).")
        .contains("created    PersistentVolumeClaim/notes-data")
        .contains("Applied notes 1.0.0 to namespace notes-dev: 6 created, 1 configured");
    assertThat(build.resolve("devplugin/k8s/dev/manifests.yaml")).exists();
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  @MojoParameter(name = "dryRun", value = "true")
  void theDryRunParameterSendsOnlyDryRuns(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("mock", mockUrl()), "mock");
    cluster("api-token");
    mojo.setLog(log);

    mojo.execute();

    assertThat(writes(requests())).containsExactlyElementsOf(OBJECTS.stream()
        .map(p -> "PATCH " + p + "?dryRun=All&fieldManager=devplugin&force=true").toList());
    assertThat(log.text()).contains("nothing was changed");
  }

  /** An old PVC of this service that is no longer generated. */
  void oldVolume() {
    server.expect().get().withPath("/api/v1/namespaces/" + NS + "/persistentvolumeclaims?labelSelector=" + OURS)
        .andReturn(200, new PersistentVolumeClaimListBuilder().addToItems(new PersistentVolumeClaimBuilder()
            .withNewMetadata().withName("notes-old").withNamespace(NS).endMetadata().build()).build()).always();
    server.expect().delete().withPath("/api/v1/namespaces/" + NS + "/persistentvolumeclaims/notes-old")
        .andReturn(200, Map.of()).once();
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  void anOldVolumeIsKeptWithoutPruneVolumes(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("mock", mockUrl()), "mock");
    cluster("api-token");
    oldVolume();
    mojo.setLog(log);

    mojo.execute();

    assertThat(writes(requests())).noneMatch(w -> w.startsWith("DELETE"));
    assertThat(log.text()).contains("[WARN] Kept PersistentVolumeClaim/notes-old: it is no longer generated, but"
        + " deleting it deletes its data.").contains("-Ddevplugin.apply.pruneVolumes=true");
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  @MojoParameter(name = "pruneVolumes", value = "true")
  void thePruneVolumesParameterDeletesAnOldVolume(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("mock", mockUrl()), "mock");
    cluster("api-token");
    oldVolume();
    mojo.setLog(log);

    mojo.execute();

    assertThat(writes(requests())).contains("DELETE /api/v1/namespaces/" + NS + "/persistentvolumeclaims/notes-old");
    assertThat(log.text()).contains("pruned     PersistentVolumeClaim/notes-old (no longer generated)");
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  @MojoParameter(name = "pruneVolumes", value = "true")
  @MojoParameter(name = "prune", value = "false")
  void thePruneParameterOffKeepsEvenVolumesAskedToBePruned(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("mock", mockUrl()), "mock");
    cluster("api-token");
    oldVolume();
    mojo.setLog(log);

    mojo.execute();

    assertThat(writes(requests())).noneMatch(w -> w.startsWith("DELETE"));
    assertThat(log.text()).contains("Not pruning: prune is off.");
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  @MojoParameter(name = "skipApply", value = "true")
  void theSkipSwitchDoesNoWork(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("mock", mockUrl()), "mock");
    cluster("api-token");
    mojo.setLog(log);

    mojo.execute();

    assertThat(requests()).isEmpty();
    assertThat(build.resolve("devplugin")).doesNotExist();
    assertThat(log.text()).isEqualTo("[INFO] Skipping devplugin:apply: devplugin.apply.skip is true.");
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  void aSecretWithoutTheDeclaredKeyIsRefusedBeforeAnyChange(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("mock", mockUrl()), "mock");
    cluster("database-password");

    Throwable t = catchThrowable(mojo::execute);

    assertThat(t).isInstanceOf(MojoFailureException.class).hasMessage("Secret notes-secrets in namespace notes-dev"
        + " lacks the key(s) api-token; the service reads api-token from it. Nothing was changed. Fix: create it out"
        + " of band (kubectl -n notes-dev create secret generic notes-secrets --from-literal=api-token=...,"
        + " sealed-secrets or an external secret operator), or let apply create it from <secrets> with"
        + " <kubernetes><inlineSecrets>true</inlineSecrets> (not in prod).");
    assertThat(writes(requests())).isEmpty();
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  void anUnreachableClusterIsAnEnvironmentFailureNamingTheFix(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("elsewhere", mockUrl(), "mock", CLOSED), "elsewhere");
    cluster("api-token");

    Throwable t = catchThrowable(mojo::execute);

    assertThat(t).isInstanceOf(MojoExecutionException.class)
        .hasMessageStartingWith("Cannot reach the Kubernetes API at " + CLOSED + "/ (context mock) directly: ")
        .hasMessageEndingWith(". Fix: point KUBECONFIG (or ~/.kube/config) at the cluster, pick its context with"
            + " <kubernetes><context>, and check the network path to the API server.");
    assertThat(requests()).as("the current context's cluster is never contacted").isEmpty();
  }

  @Test
  @InjectMojo(goal = "apply", pom = POM)
  void aContextMissingFromTheKubeconfigFailsAndNamesTheFix(ApplyMojo mojo) throws Exception {
    kubeconfig(Kubeconfig.contexts("elsewhere", mockUrl(), "staging", mockUrl()), "elsewhere");
    cluster("api-token");

    Throwable t = catchThrowable(mojo::execute);

    assertThat(t).isInstanceOf(MojoExecutionException.class)
        .hasMessageStartingWith("The kubeconfig context mock (<kubernetes><context>) is not in the kubeconfig in"
            + " use (" + build.resolve("kube/config") + "; contexts: elsewhere, staging). Nothing was changed. Fix: add"
            + " the context to the kubeconfig (or point KUBECONFIG at the file that has it), or name one of the"
            + " existing contexts in <kubernetes><context>.");
    assertThat(writes(requests())).as("no other cluster is changed instead").isEmpty();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A Maven log that keeps what the goal prints, as {@code [LEVEL] message} lines. */
  static final class RecordingMavenLog extends SystemStreamLog {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(CharSequence content) {
      lines.add("[INFO] " + content);
    }

    @Override
    public void warn(CharSequence content) {
      lines.add("[WARN] " + content);
    }

    @Override
    public void error(CharSequence content) {
      lines.add("[ERROR] " + content);
    }

    String text() {
      return String.join("\n", lines);
    }
  }

  /**
   * A kubeconfig file the test writes (contexts by name, each to a server URL, a token user) and points fabric8 at
   * with the {@code kubeconfig} system property, as {@code KUBECONFIG} would; {@link #close()} restores it.
   */
  static final class Kubeconfig implements AutoCloseable {
    private final String previous = System.getProperty("kubeconfig");

    Kubeconfig(Path file, Map<String, String> contexts, String current) {
      StringBuilder clusters = new StringBuilder("clusters:\n");
      StringBuilder ctx = new StringBuilder("contexts:\n");
      contexts.forEach((name, url) -> {
        clusters.append("- name: ").append(name).append("-cluster\n  cluster:\n    server: ").append(url)
            .append('\n');
        ctx.append("- name: ").append(name).append("\n  context:\n    cluster: ").append(name)
            .append("-cluster\n    user: tester\n");
      });
      String yaml = "apiVersion: v1\nkind: Config\n" + clusters + ctx + "current-context: " + current + "\n"
          + "users:\n- name: tester\n  user:\n    token: unit-test-token\n";
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.setProperty("kubeconfig", file.toString());
    }

    static Map<String, String> contexts(String... nameUrl) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < nameUrl.length; i += 2) {
        m.put(nameUrl[i], nameUrl[i + 1]);
      }
      return m;
    }

    @Override
    public void close() {
      if (previous == null) {
        System.clearProperty("kubeconfig");
      } else {
        System.setProperty("kubeconfig", previous);
      }
    }
  }
}
