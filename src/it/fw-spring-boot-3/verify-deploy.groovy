// devplugin:k8s and devplugin:compose on a Spring Boot 3.5 service with Actuator: Actuator's probe groups, Boot's
// variable names, its graceful shutdown within the pod's grace period, Flyway left to devplugin's migration.
def deploy = evaluate(new File(basedir, '../../../src/it/fw-deploy.groovy'))
return deploy(basedir, 'spring-boot')
