package io.cosellsync.support.persistence;

import io.cosellsync.support.config.DatabaseSwitch;
import io.quarkus.arc.properties.IfBuildProperty;
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
@IfBuildProperty(name = "cosell.database.enabled", stringValue = "true")
public class DatabaseSchema implements HealthCheck {

    private final SchemaMigration migration;

    private final DatabaseSwitch database;

    public DatabaseSchema(Instance<Flyway> flyway, DatabaseSwitch database) {
        this.migration = new SchemaMigration(flyway::get);
        this.database = database;
    }

    void onStart(@Observes StartupEvent event) {
        if (database.enabled()) {
            migration.startInBackground();
        }
    }

    @Override
    public HealthCheckResponse call() {
        return migration.health();
    }
}
