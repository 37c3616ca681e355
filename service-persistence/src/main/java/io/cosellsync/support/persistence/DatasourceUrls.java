package io.cosellsync.support.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Pattern;

/**
 * The database URLs of a stateful service are required: without them the clients would quietly try
 * localhost:5432. Both point at the same database (the stores' reactive pool uses the first, Flyway the second).
 */
@ConfigMapping(prefix = "quarkus.datasource")
public interface DatasourceUrls {

    /** e.g. {@code postgresql://db:5432/cosell} (env {@code QUARKUS_DATASOURCE_REACTIVE_URL}). */
    @WithName("reactive.url")
    @Pattern(regexp = "(vertx-reactive:)?postgres(ql)?://\\S+", message = "must be postgresql://host:port/database")
    String reactiveUrl();

    /** e.g. {@code jdbc:postgresql://db:5432/cosell} (env {@code QUARKUS_DATASOURCE_JDBC_URL}). */
    @WithName("jdbc.url")
    @Pattern(regexp = "jdbc:postgresql://\\S+", message = "must be jdbc:postgresql://host:port/database")
    String jdbcUrl();
}
