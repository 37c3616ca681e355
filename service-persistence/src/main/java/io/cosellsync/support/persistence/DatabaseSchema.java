package io.cosellsync.support.persistence;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/** Migrates the service's schema in the background on startup; the service is ready only once it is migrated. */
@Readiness
@ApplicationScoped
public class DatabaseSchema implements HealthCheck {

    private final SchemaMigration migration;

    /** The URLs are injected so a missing or malformed one is reported at startup, naming the setting. */
    public DatabaseSchema(Instance<Flyway> flyway, DatasourceUrls urls) {
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
