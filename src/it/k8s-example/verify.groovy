def log = new File(basedir, 'build.log').text
def root = new File(basedir, 'target/devplugin/k8s')
['dev', 'staging', 'prod'].each { env ->
  def dir = new File(root, env)
  assert new File(dir, 'kustomization.yaml').isFile() : "no kustomization for ${env}"
  assert new File(dir, 'manifests.yaml').isFile() : "no manifests.yaml for ${env}"
  assert log.contains("Kubernetes manifests for ${env}: ")
  // the real kubectl renders every output directory
  def kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find { new File(it).canExecute() } ?: 'kubectl'
  def p = [kubectl, 'kustomize', dir.path].execute()
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  assert p.exitValue() == 0 : "kubectl kustomize ${dir} failed: ${err}"
  assert out.toString().contains('kind: Deployment') && out.toString().contains('kind: Job')
}
def prod = new File(root, 'prod/manifests.yaml').text
assert prod.contains('kind: HorizontalPodAutoscaler') && prod.contains('kind: PodDisruptionBudget')
assert prod.contains('secretName: notes-tls')
// image.json holds dev's image (a tar): prod deploys <image><to> with the version tag instead
assert prod.contains('image: registry.example.com/team/notes:1.0.0')
assert new File(root, 'dev/manifests.yaml').text.contains('image: notes:1.0.0')
// readiness checks the dependencies, liveness only the process
def deployment = new File(root, 'prod/deployment-notes.yaml').text
assert deployment =~ /livenessProbe:\s+failureThreshold: 3\s+httpGet:\s+path: \/health\/live/
assert deployment =~ /readinessProbe:\s+failureThreshold: 3\s+httpGet:\s+path: \/health\n/
assert prod.contains('DATABASE_URL: jdbc:postgresql://notes-db.prod.internal:5432/notes')
assert !prod.contains('kind: Secret')
def staging = new File(root, 'staging/manifests.yaml').text
assert staging.contains('host: notes.staging.example.com') && !staging.contains('HorizontalPodAutoscaler')
assert new File(root, 'dev/manifests.yaml').text.contains('LOG_LEVEL: debug')
// the fourth build changed nothing
assert log.contains('Kubernetes manifests for prod are up to date')
return true
