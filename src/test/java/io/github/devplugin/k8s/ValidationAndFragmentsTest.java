package io.github.devplugin.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.github.devplugin.config.ConfigException;
import io.github.devplugin.config.EffectiveConfig;
import io.github.devplugin.testing.RecordingLog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fragments merged by identity, and every bad input failing with the file or element, the field and the fix. */
class ValidationAndFragmentsTest {
  @TempDir Path dir;

  @BeforeEach
  void project() {
    Fixtures.project(dir);
  }

  private void fragment(String name, String yaml) {
    Fixtures.write(dir.resolve("src/main/k8s").resolve(name), yaml);
  }

  private List<HasMetadata> build(String env) {
    return K8sGoal.run(Fixtures.notes(dir, env), dir.resolve("target/devplugin/k8s"), new RecordingLog())
        .objects();
  }

  private String failure(String env) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> build(env));
    assertThat(t).isInstanceOf(ManifestException.class);
    assertThat(dir.resolve("target/devplugin/k8s/" + env)).as("nothing written").doesNotExist();
    return t.getMessage();
  }

  private static Container main(List<HasMetadata> objects) {
    return objects.stream().filter(o -> o instanceof Deployment).map(o -> (Deployment) o).findFirst().orElseThrow()
        .getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void networkPoliciesAreValidatedGeneratedOrFromFragments() {
    // the generated one, changed by a fragment: a named port no container declares, a port out of range, a bad
    // protocol and IP block
    fragment("networkpolicy.yaml", """
        kind: NetworkPolicy
        metadata:
          name: notes
        spec:
          ingress:
          - ports:
            - port: metrics
          egress:
          - ports:
            - port: 70000
              protocol: ICMP
            to:
            - ipBlock:
                cidr: everywhere
        """);
    fragment("other.yaml", """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: strays
        spec:
          podSelector:
            matchLabels:
              app.kubernetes.io/name: nobody
          policyTypes: [Ingress, Sideways]
        """);
    String m = failure("dev");
    assertThat(m).contains("NetworkPolicy/notes spec.ingress[0].ports[0].port (from src/main/k8s/networkpolicy.yaml):"
        + " names the port 'metrics', which no container of the selected pods declares. Fix: use a container port"
        + " name (http) or number.");
    assertThat(m).contains("port 70000 is out of range").contains("'ICMP' is not a protocol")
        .contains("'everywhere' is not an IP block");
    assertThat(m).contains("NetworkPolicy/strays spec.podSelector (from src/main/k8s/other.yaml): matches the pods of"
        + " no generated workload").contains("'Sideways' is not a policy type");
  }

  // ---- merging
  // ---- merging

  @Test
  void fragmentsMergeContainersEnvAndPortsByIdentityAndDeleteExplicitly() {
    fragment("deployment.yaml", """
        kind: Deployment
        spec:
          template:
            metadata:
              annotations:
                prometheus.io/scrape: "true"
            spec:
              containers:
              - name: notes
                env:
                - name: JAVA_TOOL_OPTIONS
                  value: -XX:MaxRAMPercentage=75
                - name: DATABASE_PASSWORD
                  $patch: delete
                ports:
                - containerPort: 8080
                  protocol: TCP
                - containerPort: 9464
                  name: prometheus
        """);
    Container c = main(build("dev"));
    assertThat(c.getEnv()).extracting(EnvVar::getName).containsExactly("JAVA_TOOL_OPTIONS");
    assertThat(c.getPorts()).extracting(p -> p.getContainerPort() + "/" + p.getName())
        .containsExactly("8080/http", "9464/prometheus");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as("untouched fields stay").isTrue();
    assertThat(build("dev").stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow()
        .getMetadata().getName()).isEqualTo("notes");
  }

  @Test
  void environmentFragmentsApplyAfterCommonOnesAndCanDeleteAGeneratedObject() {
    fragment("deployment.yaml", """
        kind: Deployment
        spec:
          template:
            spec:
              containers:
              - name: notes
                env:
                - name: FEATURE_X
                  value: "off"
        """);
    fragment("staging/deployment.yaml", """
        kind: Deployment
        spec:
          template:
            spec:
              containers:
              - name: notes
                env:
                - name: FEATURE_X
                  value: "on"
        ---
        kind: PodDisruptionBudget
        $patch: delete
        """);
    List<HasMetadata> staging = build("staging");
    assertThat(main(staging).getEnv()).filteredOn(e -> e.getName().equals("FEATURE_X"))
        .extracting(EnvVar::getValue).containsExactly("on");
    assertThat(staging).noneMatch(o -> o instanceof PodDisruptionBudget);
    assertThat(main(build("dev")).getEnv()).filteredOn(e -> e.getName().equals("FEATURE_X"))
        .extracting(EnvVar::getValue).containsExactly("off");
  }

  @Test
  void aFragmentWithANewNameAddsAnObjectWithTheServicesLabels() {
    fragment("networkpolicy.yaml", """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: notes-deny-all
        spec:
          podSelector: {}
          policyTypes: [Ingress]
        """);
    HasMetadata np = build("dev").stream().filter(o -> o.getKind().equals("NetworkPolicy")).findFirst().orElseThrow();
    assertThat(np.getMetadata().getNamespace()).isEqualTo("notes-dev");
    assertThat(np.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "devplugin")
        .containsEntry(Labels.INSTANCE, "notes-dev");
    assertThat(build("dev").stream().filter(o -> o.getKind().equals("ConfigMap")).findFirst().orElseThrow()
        .getMetadata().getAnnotations().get(ManifestGenerator.KINDS)).contains("networking.k8s.io/v1/NetworkPolicy");
  }

  @Test
  void deletingSomethingThatIsNotInheritedIsAnError() {
    fragment("deployment.yaml", """
        kind: Deployment
        spec:
          template:
            spec:
              containers:
              - name: notes
                env:
                - name: NOPE
                  $patch: delete
        """);
    assertThat(failure("dev")).contains("src/main/k8s/deployment.yaml: in Deployment/notes:"
        + " spec.template.spec.containers[notes].env[NOPE] is deleted, but no inherited entry has name 'NOPE'.");
  }

  // ---- bad input

  @Test
  void aFragmentThatDoesNotParseNamesTheFileAndLine() {
    fragment("broken.yaml", "kind: Deployment\nspec:\n  replicas: [1,\n  template: {\n");
    String m = failure("dev");
    assertThat(m).contains("src/main/k8s/broken.yaml: is not valid YAML at line").contains("Fix: fix the YAML");
  }

  @Test
  void aFragmentWithAWrongTypeNamesTheField() {
    fragment("deployment.yaml", "kind: Deployment\nspec:\n  replicas: many\n");
    assertThat(failure("dev")).contains("src/main/k8s/deployment.yaml: does not fit the Kubernetes model at"
        + " spec.replicas");
  }

  @Test
  void anUnknownFieldIsAnError() {
    fragment("deployment.yaml", """
        kind: Deployment
        spec:
          template:
            spec:
              containers:
              - name: notes
                imagePullPolcy: Always
        """);
    assertThat(failure("dev")).contains("Deployment/notes spec.template.spec.containers[notes].imagePullPolcy"
        + " (from src/main/k8s/deployment.yaml): is not a field of Deployment here");
  }

  @Test
  void invalidQuantitiesInFragmentsAndConfiguration() {
    fragment("deployment.yaml", """
        kind: Deployment
        spec:
          template:
            spec:
              containers:
              - name: notes
                resources:
                  limits:
                    memory: 512MB
        """);
    assertThat(failure("dev")).contains("Deployment/notes spec.template.spec.containers[notes].resources.limits.memory"
        + " (from src/main/k8s/deployment.yaml): '512MB' is not a Kubernetes quantity.");
    assertThatThrownBy(() -> TestConfig.load(dir, "dev", Fixtures.NOTES.replace("<cpu>500m</cpu>",
        "<cpu>half</cpu>"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("<service><resources><limits><cpu>: 'half' is not a Kubernetes quantity.");
  }

  @Test
  void aPortNamedTwice() {
    fragment("deployment.yaml", """
        kind: Deployment
        spec:
          template:
            spec:
              containers:
              - name: notes
                ports:
                - containerPort: 9090
                  name: http
        """);
    assertThat(failure("dev")).contains("Deployment/notes spec.template.spec.containers[notes].ports[9090].name"
        + " (from src/main/k8s/deployment.yaml): port name 'http' is used twice (ports 8080 and 9090).");
    assertThatThrownBy(() -> TestConfig.load(dir, "dev", Fixtures.NOTES.replace("<port>8080</port>",
        "<port>8080</port><ports><port><number>9090</number><name>http</name></port></ports>")))
        .hasMessageContaining("port name 'http' is used twice (ports 8080 and 9090).");
  }

  @Test
  void anIngressWithoutAHost() {
    fragment("ingress.yaml", """
        kind: Ingress
        spec:
          rules:
          - http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: notes
                    port:
                      name: http
        """);
    assertThat(failure("staging")).contains("Ingress/notes spec.rules[0].host (from src/main/k8s/ingress.yaml):"
        + " is missing: a rule without a host takes every host's traffic.");
    assertThatThrownBy(() -> TestConfig.load(dir, "dev", Fixtures.NOTES.replace("<port>8080</port>",
        "<port>8080</port><ingress><enabled>true</enabled></ingress>")))
        .hasMessageContaining("<service><ingress><host>: an Ingress needs a host.");
  }

  @Test
  void hpaBoundsReversed() {
    fragment("prod/hpa.yaml", "kind: HorizontalPodAutoscaler\nspec:\n  minReplicas: 12\n");
    assertThat(failure("prod")).contains("HorizontalPodAutoscaler/notes spec.minReplicas (from"
        + " src/main/k8s/prod/hpa.yaml): minReplicas 12 is greater than maxReplicas 10.");
    assertThatThrownBy(() -> TestConfig.load(dir, "prod", Fixtures.NOTES.replace("<maxReplicas>10</maxReplicas>",
        "<maxReplicas>2</maxReplicas>"))).hasMessageContaining("maxReplicas 2 is lower than minReplicas 3.");
  }

  @Test
  void anInlineSecretInProd() {
    assertThatThrownBy(() -> TestConfig.load(dir, "prod", Fixtures.NOTES.replace("<kubernetes><redisUrl>",
        "<kubernetes><inlineSecrets>true</inlineSecrets><redisUrl>")))
        .hasMessageContaining("<kubernetes><inlineSecrets>: the prod environment may not write Secret values");
    fragment("prod/secret.yaml", """
        apiVersion: v1
        kind: Secret
        metadata:
          name: notes-extra
        stringData:
          token: abc
        """);
    assertThat(failure("prod")).contains("Secret/notes-extra data (from src/main/k8s/prod/secret.yaml): is an inline"
        + " Secret in prod");
  }

  @Test
  void policyViolationsFailUnlessWaivedByRule() {
    fragment("deployment.yaml", """
        kind: Deployment
        spec:
          template:
            spec:
              containers:
              - name: notes
                securityContext:
                  readOnlyRootFilesystem: false
        """);
    assertThat(failure("dev")).contains("securityContext.readOnlyRootFilesystem (from src/main/k8s/deployment.yaml):"
        + " lets the process write to its image. [policy read-only-root-filesystem]")
        .contains("<exception>read-only-root-filesystem</exception>");
    RecordingLog log = new RecordingLog();
    EffectiveConfig waived = TestConfig.load(dir, "dev", Fixtures.NOTES.replace("<kubernetes><redisUrl>",
        "<kubernetes><policyExceptions><exception>read-only-root-filesystem</exception></policyExceptions>"
            + "<redisUrl>"));
    K8sGoal.run(waived, dir.resolve("target/devplugin/k8s"), log);
    assertThat(log.text()).contains("WARN").contains("policy rule 'read-only-root-filesystem' waived");
  }

  @Test
  void structureProblemsNameObjectFieldAndFix() {
    fragment("deployment.yaml", """
        kind: Deployment
        spec:
          selector:
            matchLabels:
              app.kubernetes.io/version: 1.0.0
          strategy:
            type: Recreate
            rollingUpdate: null
          template:
            spec:
              containers:
              - name: notes
                readinessProbe:
                  httpGet:
                    port: admin
        """);
    fragment("service.yaml", """
        kind: Service
        spec:
          ports:
          - port: 8080
            targetPort: web
        """);
    String m = failure("dev");
    assertThat(m).contains("Deployment/notes spec.selector.matchLabels.app.kubernetes.io/version (from"
        + " src/main/k8s/deployment.yaml): puts the version into the selector")
        .contains("[policy rolling-update]")
        .contains("readinessProbe.port (from src/main/k8s/deployment.yaml): probes port 'admin', which the"
            + " container does not declare.")
        .contains("Service/notes spec.ports[8080].targetPort (from src/main/k8s/service.yaml): targets 'web', which"
            + " no container of Deployment/notes declares.");
  }

  @Test
  void aFragmentWithoutKindOrForAnAmbiguousTarget() {
    fragment("a.yaml", "spec:\n  replicas: 2\n");
    fragment("b.yaml", "kind: CronJob\nspec:\n  schedule: '* * * * *'\n");
    String m = failure("dev");
    assertThat(m).contains("src/main/k8s/a.yaml: has no 'kind'.")
        .contains("src/main/k8s/b.yaml: changes a CronJob, but none is generated.");
  }
}
