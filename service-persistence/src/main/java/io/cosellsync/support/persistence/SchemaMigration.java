package io.cosellsync.support.persistence;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.flywaydb.core.Flyway;

/**
 * Runs the service's Flyway migrations in the background, retrying until the database answers, instead of at
 * boot: an unreachable database makes the service "not ready", not a crash loop. Stateful services start it on
 * startup and report {@link #health()} as a readiness check.
 */
public final class SchemaMigration {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final Supplier<Flyway> flyway;
    private volatile String schemaVersion;
    private volatile String lastError = "not attempted yet";

    public SchemaMigration(Supplier<Flyway> flyway) {
        this.flyway = flyway;
    }

    public void startInBackground() {
        Thread thread = new Thread(this::migrateUntilDone, "schema-migration");
        thread.setDaemon(true);
        thread.start();
    }

    public boolean done() {
        return schemaVersion != null;
    }

    public HealthCheckResponse health() {
        var response = HealthCheckResponse.named("database-schema").status(done());
        return done() ? response.withData("version", schemaVersion).build()
                : response.withData("error", lastError).build();
    }

    private void migrateUntilDone() {
        Duration backoff = Duration.ofMillis(500);
        while (!done()) {
            try {
                var result = flyway.get().migrate();
                var current = flyway.get().info().current();
                schemaVersion = current == null ? "empty" : current.getVersion().getVersion();
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
