package io.github.devplugin.config;

/**
 * The {@code <kubernetes>} element.
 *
 * @param namespace namespace of every generated object
 * @param inlineSecrets write Secret values into the manifests (never allowed in {@code prod}); by default the
 *     manifests only reference an existing Secret
 * @param secretName the Secret the service's secrets are read from
 * @param fragmentsDirectory user fragments merged into the generated objects
 */
public record KubernetesSettings(String namespace, boolean inlineSecrets, String secretName,
    String fragmentsDirectory) {

  static KubernetesSettings from(Section s, ProjectInfo project, String serviceName, String environment) {
    String base = serviceName == null ? "app" : serviceName;
    String defaultNamespace = Names.toDnsLabel(base + "-" + environment);
    String namespace = s.string("namespace", defaultNamespace);
    if (namespace != null && !Names.isDnsLabel(namespace)) {
      s.problem("namespace", "'" + namespace + "' is not a valid namespace.",
          "use lower case letters, digits and '-', e.g. " + defaultNamespace + ".");
    }
    boolean inlineSecrets = s.bool("inlineSecrets", false);
    if (inlineSecrets && "prod".equals(environment)) {
      s.problem("inlineSecrets", "the prod environment may not write Secret values into manifests.",
          "remove <inlineSecrets> from prod and create the Secret '" + base + "-secrets' out of band"
              + " (kubectl create secret, sealed-secrets, an external secret operator).");
    }
    String secretName = s.string("secretName", base + "-secrets");
    String fragments = s.string("fragmentsDirectory",
        project.basedir().resolve("src/main/k8s").toString());
    return new KubernetesSettings(namespace, inlineSecrets, secretName, fragments);
  }
}
