// A real Spring Boot 4.0 service (starter parent, webmvc, actuator, JDBC on PostgreSQL, Flyway starter, Redis,
// devtools), packaged by mvn package with spring-boot:repackage; devplugin:config bound at package prints the framework.
def check = evaluate(new File(basedir, '../../../src/it/fw-support.groovy'))
assert check(basedir, '4.0.7', 'spring-boot-starter-webmvc')
// the deployment side (devplugin:k8s, devplugin:compose), when this app binds it
def deployCheck = new File(basedir, 'verify-deploy.groovy')
if (deployCheck.isFile()) {
  evaluate(deployCheck)
}
return true
