// devplugin:k8s and devplugin:compose on a Spring Boot 4.0 service with Actuator: Actuator's probe groups, Boot's
// variable names, its graceful shutdown within the pod's grace period, Flyway left to devplugin's migration.
def deploy = evaluate(new File(basedir, '../../../src/it/fw-deploy.groovy'))
return deploy(basedir, [liveness: '/actuator/health/liveness', readiness: '/actuator/health/readiness',
    startup: '/actuator/health/liveness', databaseUrl: 'SPRING_DATASOURCE_URL', password: 'SPRING_DATASOURCE_PASSWORD',
    config: [SERVER_PORT: '8080', SPRING_DATASOURCE_URL: 'jdbc:postgresql://notes-postgres:5432/notes',
            SPRING_DATASOURCE_USERNAME: 'notes', SPRING_DATA_REDIS_HOST: 'notes-redis', SPRING_DATA_REDIS_PORT: '6379',
            MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED: 'true', SERVER_SHUTDOWN: 'graceful',
            SPRING_FLYWAY_ENABLED: 'false', SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE: '20s'],
    composeEnv: [SERVER_PORT: '8080', SPRING_DATASOURCE_URL: 'jdbc:postgresql://postgres:5432/${POSTGRES_DB:-notes}',
        SPRING_DATA_REDIS_HOST: 'redis', SPRING_DATA_REDIS_PORT: '6379', SPRING_FLYWAY_ENABLED: 'false'],
    absent: ['PORT', 'DATABASE_URL', 'DATABASE_USER', 'REDIS_URL']])
