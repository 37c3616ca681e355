package io.cosellsync.support.persistence;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/**
 * Runs the service's Flyway migrations in the background from startup, retrying until the database answers,
 * instead of at boot: an unreachable database makes the service "not ready", not a crash loop. The service is
 * ready only once its schema is migrated.
 */
@Readiness
@ApplicationScoped
public class DatabaseSchema implements HealthCheck {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final Instance<Flyway> flyway;
    private volatile String schemaVersion;
    private volatile String lastError = "not attempted yet";
    private final java.util.concurrent.CompletableFuture<String> migrated = new java.util.concurrent.CompletableFuture<>();

    /** The URLs are injected so a missing or malformed one is reported at startup, naming the setting. */
    public DatabaseSchema(Instance<Flyway> flyway, DatasourceUrls urls) {
        this.flyway = flyway;
    }

    void onStart(@Observes StartupEvent event) {
        Thread thread = new Thread(this::migrateUntilDone, "schema-migration");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes (with the version) once the schema is migrated; work that needs the tables waits for it. */
    public java.util.concurrent.CompletionStage<String> migrated() {
        return migrated;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database-schema").status(schemaVersion != null);
        return schemaVersion != null ? response.withData("version", schemaVersion).build()
                : response.withData("error", lastError).build();
    }

    private void migrateUntilDone() {
        Duration backoff = Duration.ofMillis(500);
        while (schemaVersion == null) {
            try {
                var result = flyway.get().migrate();
                var current = flyway.get().info().current();
                schemaVersion = current == null ? "empty" : current.getVersion().getVersion();
                migrated.complete(schemaVersion);
                Log.infof("database schema at version %s (%d migrations applied now)", schemaVersion,
                        result.migrationsExecuted);
            } catch (RuntimeException e) {
                lastError = rootMessage(e);
                Log.warnf("database schema not migrated yet, retrying in %d ms: %s", backoff.toMillis(), lastError);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
