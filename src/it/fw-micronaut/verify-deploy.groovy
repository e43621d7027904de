// devplugin:k8s and devplugin:compose on a Micronaut service with micronaut-management: its health probes,
// Micronaut's variable names, graceful shutdown, Flyway left to devplugin's migration.
def deploy = evaluate(new File(basedir, '../../../src/it/fw-deploy.groovy'))
return deploy(basedir, [liveness: '/health/liveness', readiness: '/health/readiness', startup: '/health/liveness',
    databaseUrl: 'DATASOURCES_DEFAULT_URL', password: 'DATASOURCES_DEFAULT_PASSWORD',
    config: [MICRONAUT_SERVER_PORT: '8080', DATASOURCES_DEFAULT_URL: 'jdbc:postgresql://notes-postgres:5432/notes',
        DATASOURCES_DEFAULT_USERNAME: 'notes', REDIS_URI: 'redis://notes-redis:6379',
        MICRONAUT_LIFECYCLE_GRACEFUL_SHUTDOWN_ENABLED: 'true', FLYWAY_DATASOURCES_DEFAULT_ENABLED: 'false'],
    composeEnv: [MICRONAUT_SERVER_PORT: '8080',
        DATASOURCES_DEFAULT_URL: 'jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes}',
        REDIS_URI: 'redis://redis:6379', FLYWAY_DATASOURCES_DEFAULT_ENABLED: 'false'],
    absent: ['PORT', 'DATABASE_URL', 'DATABASE_USER', 'REDIS_URL']])
