def log = new File(basedir, 'build.log').text
assert log.contains("Invalid Kubernetes manifests for environment 'prod' (4 problems):")
assert log.contains("Deployment/shop spec.template.spec.containers[shop].ports[9090].name (from src/main/k8s/deployment.yaml): port name 'http' is used twice (ports 8080 and 9090). Fix: give each port its own name.")
assert log.contains("Deployment/shop spec.template.spec.containers[shop].resources.limits.memory (from src/main/k8s/deployment.yaml): '512MB' is not a Kubernetes quantity.")
assert log.contains("HorizontalPodAutoscaler/shop spec.minReplicas (from src/main/k8s/prod/hpa.yaml): minReplicas 9 is greater than maxReplicas 4.")
assert log.contains("Secret/shop-api data (from src/main/k8s/prod/secret.yaml): is an inline Secret in prod")
assert !log.contains('not-a-real-token')
assert !(log =~ /(?m)^\s+at [\w.$]+[ (]/) && !log.contains('Caused by:') : 'a manifest error is a message, not a stack trace'
assert !new File(basedir, 'target/devplugin/k8s/prod').exists() : 'nothing written on invalid manifests'
return true
