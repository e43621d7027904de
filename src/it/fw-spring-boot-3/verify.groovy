// A real Spring Boot 3.5 service (starter parent, web, actuator, JDBC on PostgreSQL, Flyway, Redis, devtools),
// packaged by mvn package with spring-boot:repackage; devplugin:config bound at package prints the framework.
def check = evaluate(new File(basedir, '../../../src/it/fw-support.groovy'))
assert check(basedir, '3.5.7', 'spring-boot-starter-web')
// the deployment side (devplugin:k8s, devplugin:compose), when this app binds it
def deployCheck = new File(basedir, 'verify-deploy.groovy')
if (deployCheck.isFile()) {
  evaluate(deployCheck)
}
return true
