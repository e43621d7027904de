// devplugin:k8s and devplugin:compose on a Quarkus service with SmallRye Health: its probes, Quarkus' variable
// names, its shutdown timeout within the pod's grace period, Flyway at start left to devplugin's migration.
def deploy = evaluate(new File(basedir, '../../../src/it/fw-deploy.groovy'))
return deploy(basedir, [liveness: '/q/health/live', readiness: '/q/health/ready', startup: '/q/health/started',
    databaseUrl: 'QUARKUS_DATASOURCE_JDBC_URL', password: 'QUARKUS_DATASOURCE_PASSWORD',
    config: [QUARKUS_HTTP_PORT: '8080', QUARKUS_DATASOURCE_JDBC_URL: 'jdbc:postgresql://notes-postgres:5432/notes',
        QUARKUS_DATASOURCE_USERNAME: 'notes', QUARKUS_REDIS_HOSTS: 'redis://notes-redis:6379',
        QUARKUS_SHUTDOWN_TIMEOUT: '20s', QUARKUS_FLYWAY_MIGRATE_AT_START: 'false'],
    composeEnv: [QUARKUS_HTTP_PORT: '8080',
        QUARKUS_DATASOURCE_JDBC_URL: 'jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes}',
        QUARKUS_REDIS_HOSTS: 'redis://redis:6379', QUARKUS_FLYWAY_MIGRATE_AT_START: 'false'],
    absent: ['PORT', 'DATABASE_URL', 'DATABASE_USER', 'REDIS_URL']])
