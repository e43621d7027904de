package io.github.devplugin.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.inject.Singleton;
import org.apache.maven.api.di.Provides;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code undeploy} goal run as a Mojo against the fabric8 mock server in CRUD mode (it keeps what it is sent),
 * reached through a kubeconfig file the test writes: {@code keepVolumes}, {@code dryRun} and {@code skipUndeploy}
 * decide what is left in the cluster, and an unreachable cluster is an environment failure naming the fix.
 */
@MojoTest
class UndeployMojoTest {
  static final String POM = ApplyMojoTest.POM;
  static final String NS = ApplyMojoTest.NS;
  static final Map<String, String> OURS = Map.of("app.kubernetes.io/managed-by", "devplugin",
      "app.kubernetes.io/instance", "notes-dev");

  private final Path build = Path.of(MojoExtension.getBasedir(), "target", "unit-k8s-undeploy").toAbsolutePath();
  KubernetesMockServer server;
  KubernetesClient client;
  ApplyMojoTest.Kubeconfig kubeconfig;
  final ApplyMojoTest.RecordingMavenLog log = new ApplyMojoTest.RecordingMavenLog();

  @Provides
  @Singleton
  MavenProject project() {
    return ApplyMojoTest.unitProject(build);
  }

  @BeforeAll
  static void quiet() {
    Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
  }

  @BeforeEach
  void start() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.setVersionInfo(new VersionInfo.Builder().withMajor("1").withMinor("32").withGitVersion("v1.32.0")
        .build());
    server.init();
    client = server.createClient();
    // what an earlier apply left: the namespace it created, the service's objects, its volume; and the user's Secret
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).withLabels(OURS).endMetadata().build())
        .create();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("notes-config").withNamespace(NS)
        .withLabels(OURS).endMetadata().addToData("PORT", "8080").build()).create();
    client.resource(new DeploymentBuilder().withNewMetadata().withName("notes").withNamespace(NS).withLabels(OURS)
        .endMetadata().withNewSpec().withReplicas(1).endSpec().build()).create();
    client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("notes-data").withNamespace(NS)
        .withLabels(OURS).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build()).create();
    kubeconfig = new ApplyMojoTest.Kubeconfig(build.resolve("kube/config"), ApplyMojoTest.Kubeconfig.contexts(
        "elsewhere", ApplyMojoTest.CLOSED, "mock", server.url("/").replaceAll("/$", "")), "elsewhere");
  }

  @AfterEach
  void stop() {
    kubeconfig.close();
    client.close();
    server.destroy();
  }

  /** What is left in the cluster, as kind/name. */
  List<String> left() {
    List<String> out = new ArrayList<>();
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.namespaces().list().getItems());
    all.addAll(client.configMaps().inNamespace(NS).list().getItems());
    all.addAll(client.apps().deployments().inNamespace(NS).list().getItems());
    all.addAll(client.persistentVolumeClaims().inNamespace(NS).list().getItems());
    all.forEach(o -> out.add(o.getKind() + "/" + o.getMetadata().getName()));
    return out;
  }

  static final List<String> EVERYTHING = List.of("Namespace/notes-dev", "ConfigMap/notes-config",
      "Deployment/notes", "PersistentVolumeClaim/notes-data");

  @Test
  @InjectMojo(goal = "undeploy", pom = POM)
  void withoutKeepVolumesEverythingIsDeletedWithTheVolume(UndeployMojo mojo) throws Exception {
    mojo.setLog(log);
    mojo.execute();
    assertThat(left()).isEmpty();
    assertThat(log.text()).contains("Connected to Kubernetes v1.32.0 at " + server.url("/") + " (context mock).")
        .contains("deleted PersistentVolumeClaim/notes-data").contains("deleted Namespace/notes-dev");
  }

  @Test
  @InjectMojo(goal = "undeploy", pom = POM)
  @MojoParameter(name = "keepVolumes", value = "true")
  void keepVolumesKeepsTheVolumeAndTheNamespaceThatHoldsIt(UndeployMojo mojo) throws Exception {
    mojo.setLog(log);
    mojo.execute();
    assertThat(left()).containsExactly("Namespace/notes-dev", "PersistentVolumeClaim/notes-data");
    PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(NS).withName("notes-data").get();
    assertThat(pvc.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(log.text()).contains("kept       PersistentVolumeClaim/notes-data (keepVolumes)")
        .contains("Kept namespace notes-dev: it holds objects devplugin did not create"
            + " (PersistentVolumeClaim/notes-data)");
  }

  @Test
  @InjectMojo(goal = "undeploy", pom = POM)
  @MojoParameter(name = "dryRun", value = "true")
  void theDryRunListsEverythingAndDeletesNothing(UndeployMojo mojo) throws Exception {
    mojo.setLog(log);
    mojo.execute();
    assertThat(left()).containsExactlyElementsOf(EVERYTHING);
    assertThat(log.lines).filteredOn(l -> l.contains("would delete ")).containsExactly(
        "[INFO]   would delete Deployment/notes", "[INFO]   would delete ConfigMap/notes-config",
        "[INFO]   would delete PersistentVolumeClaim/notes-data", "[INFO]   would delete Namespace/notes-dev",
        "[INFO] Dry run: undeploy would delete 4 objects of notes in namespace notes-dev.");
  }

  @Test
  @InjectMojo(goal = "undeploy", pom = POM)
  @MojoParameter(name = "skipUndeploy", value = "true")
  void theSkipSwitchDeletesNothing(UndeployMojo mojo) throws Exception {
    mojo.setLog(log);
    mojo.execute();
    assertThat(left()).containsExactlyElementsOf(EVERYTHING);
    assertThat(log.text()).isEqualTo("[INFO] Skipping devplugin:undeploy: devplugin.undeploy.skip is true.");
  }

  @Test
  @InjectMojo(goal = "undeploy", pom = POM)
  @MojoParameter(name = "skip", value = "true")
  void theGlobalSkipSwitchDeletesNothing(UndeployMojo mojo) throws Exception {
    mojo.setLog(log);
    mojo.execute();
    assertThat(left()).containsExactlyElementsOf(EVERYTHING);
    assertThat(log.text()).isEqualTo("[INFO] Skipping devplugin:undeploy: devplugin.skip is true.");
  }

  @Test
  @InjectMojo(goal = "undeploy", pom = POM)
  void anUnreachableClusterIsAnEnvironmentFailureNamingTheFix(UndeployMojo mojo) {
    kubeconfig.close();
    kubeconfig = new ApplyMojoTest.Kubeconfig(build.resolve("kube/config"), ApplyMojoTest.Kubeconfig.contexts(
        "elsewhere", server.url("/").replaceAll("/$", ""), "mock", ApplyMojoTest.CLOSED), "elsewhere");
    Throwable t = catchThrowable(mojo::execute);
    assertThat(t).isInstanceOf(MojoExecutionException.class)
        .hasMessageStartingWith("Cannot reach the Kubernetes API at " + ApplyMojoTest.CLOSED + "/ (context mock)")
        .hasMessageContaining("Fix: point KUBECONFIG (or ~/.kube/config) at the cluster");
    assertThat(left()).containsExactlyElementsOf(EVERYTHING);
  }
}
