// A real Spring Boot 4.0 service (starter parent, webmvc, actuator, JDBC on PostgreSQL, Flyway starter, Redis,
// devtools), packaged by mvn package with spring-boot:repackage; devplugin:config bound at package prints the framework;
// image and dockerfile next to it; the pushed image runs under podman (src/it/image-run-framework.groovy); the compose
// stack comes up (src/it/fw-compose-up.groovy).
def check = evaluate(new File(basedir, '../../../src/it/fw-support.groovy'))
check(basedir, '4.0.7', 'spring-boot-starter-webmvc')

// the deployment side (devplugin:k8s, devplugin:compose): golden manifests and compose files
evaluate(new File(basedir, 'verify-deploy.groovy'))

// the generated dev compose stack, up for real: the app healthy, reachable and debuggable, nothing left afterwards
evaluate(new File(basedir, '../../../src/it/fw-compose-up.groovy'))(basedir)
return true
