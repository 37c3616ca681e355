package io.cosellsync.testing.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cosellsync.testing.Postgres;
import io.cosellsync.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run command's database: a live run holds it, and a second run with the same database leaves it alone. */
class LocalPostgresTest {

    private final PostgresServer server = Postgres.shared();
    private final String database = "cosell_run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @Test
    void aSecondRunIsRefusedAndTheFirstRunsDataStays() throws Exception {
        try (Connection first = claim(true)) {
            sql("CREATE TABLE sync_state (referral_id text); INSERT INTO sync_state VALUES ('r-1')");

            LocalPostgres.DatabaseInUseException refused = assertThrows(LocalPostgres.DatabaseInUseException.class,
                    () -> claim(true));
            assertTrue(refused.getMessage().contains("COSELL_PORT_OFFSET"), refused.getMessage());
            assertThrows(LocalPostgres.DatabaseInUseException.class, () -> claim(false), "keep is refused too");
            assertEquals(1, count(), "the first run's rows");
        }
        // once the first run has stopped, the next one starts the database afresh
        try (Connection next = claim(true)) {
            assertFalse(tableExists());
        }
    }

    @Test
    void instancesShareTheDatabaseEachStartsAfreshOnlyItsOwnSchemasAndAPlainRunIsRefusedMeanwhile() throws Exception {
        try (Connection production = claim(true, "contoso-prod")) {
            sql("CREATE SCHEMA contoso_prod_ingress; CREATE TABLE contoso_prod_ingress.sync_state (id text);"
                    + " INSERT INTO contoso_prod_ingress.sync_state VALUES ('r-1')");
            try (Connection staging = claim(true, "contoso-staging")) {
                sql("CREATE SCHEMA contoso_staging_ingress");
                assertThrows(LocalPostgres.DatabaseInUseException.class, () -> claim(true, "contoso-staging"),
                        "the same instance twice");
                assertThrows(LocalPostgres.DatabaseInUseException.class, () -> claim(true),
                        "a run that would hold (and drop) the whole database");
                assertEquals(1, count("contoso_prod_ingress.sync_state"), "staging's fresh start kept production's");
            }
            // staging stopped; started afresh, its schemas go, production's stay
            try (Connection staging = claim(true, "contoso-staging")) {
                assertFalse(exists("contoso_staging_ingress"));
                assertEquals(1, count("contoso_prod_ingress.sync_state"));
            }
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private Connection claim(boolean fresh) throws Exception {
        return LocalPostgres.claim(server.host(), server.port(), server.username(), server.password(), database,
                fresh);
    }

    private Connection claim(boolean fresh, String instance) throws Exception {
        return LocalPostgres.claim(server.host(), server.port(), server.username(), server.password(), database,
                fresh, instance);
    }

    private boolean exists(String schema) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                        + schema + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private Connection connect(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + name,
                server.username(), server.password());
    }

    private void sql(String statements) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }

    private int count() throws SQLException {
        return count("sync_state");
    }

    private int count(String table) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean tableExists() throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('sync_state') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
