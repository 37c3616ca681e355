package io.cosellsync.salesforcewriter.persistence;

import io.cosellsync.support.persistence.SchemaMigration;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/** Migrates this service's schema in the background; ready only once it is migrated. */
@Readiness
@ApplicationScoped
public class DatabaseSchema implements HealthCheck {

    private final SchemaMigration migration;

    public DatabaseSchema(Instance<Flyway> flyway) {
        this.migration = new SchemaMigration(flyway::get);
    }

    void onStart(@Observes StartupEvent event) {
        migration.startInBackground();
    }

    @Override
    public HealthCheckResponse call() {
        return migration.health();
    }
}
