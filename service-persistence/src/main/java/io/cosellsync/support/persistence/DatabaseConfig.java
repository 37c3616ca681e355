package io.cosellsync.support.persistence;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Pattern;

/**
 * Where a stateful service keeps its tables: one PostgreSQL schema per service and release
 * ({@code COSELL_DATABASE_SCHEMA}), so several releases (a staging and a production one) can share a database. The
 * service's Flyway migrations and every connection of its pool ({@code search_path}) use it, so no SQL
 * statement names a schema.
 */
@ConfigMapping(prefix = "cosell.database")
public interface DatabaseConfig {

    /** A plain lower-case PostgreSQL identifier: what a schema name must be (it becomes part of SQL). */
    String SCHEMA_NAME = "[a-z_][a-z0-9_]{0,62}";

    /** The service's schema. */
    @Pattern(regexp = SCHEMA_NAME, message = "must be a plain lower-case PostgreSQL identifier")
    String schema();
}
