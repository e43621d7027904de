def log = new File(basedir, 'build.log').text
def root = new File(basedir, 'target/devplugin/k8s')
def golden = evaluate(new File(basedir, '../../../src/it/golden.groovy'))
['dev', 'staging', 'prod'].each { env ->
  def dir = new File(root, env)
  assert log.contains("Kubernetes manifests for ${env}: ")
  // the whole output directory (one file per object, kustomization.yaml, manifests.yaml) against expected/k8s/<env>;
  // dev's image is built here from this machine's base, so its digest is masked
  golden.check(basedir, "target/devplugin/k8s/${env}", "k8s/${env}", env == 'dev')
  // the real kubectl renders every output directory
  def kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find { new File(it).canExecute() } ?: 'kubectl'
  def p = [kubectl, 'kustomize', dir.path].execute()
  def out = new StringBuffer(), err = new StringBuffer()
  p.waitForProcessOutput(out, err)
  assert p.exitValue() == 0 : "kubectl kustomize ${dir} failed: ${err}"
  assert out.toString().contains('kind: Deployment') && out.toString().contains('kind: Job')
}
// the fourth build (-Ddevplugin.k8s.environments=dev,staging,prod) changed nothing, each environment deciding on its own
['dev', 'staging', 'prod'].each { env ->
  assert log.contains("Kubernetes manifests for ${env} are up to date") : "${env} not up to date in the fourth build"
}
return true
