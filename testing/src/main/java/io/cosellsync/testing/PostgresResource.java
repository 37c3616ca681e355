package io.cosellsync.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a {@code @QuarkusTest}'s default datasource (reactive and JDBC URL) at the JVM's real PostgreSQL. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        PostgresServer pg = Postgres.shared();
        return Map.of(
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", pg.username(),
                "quarkus.datasource.password", pg.password());
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; dropped at exit
    }
}
