package io.cosellsync.testing.local;

import io.cosellsync.testing.Postgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL for {@code deploy/local/run.sh}. Uses the machine's server on 127.0.0.1:5432 when it answers,
 * otherwise runs an embedded server with its data under the state directory. Either way it writes
 * {@code mode host port database user password} to the ready file and runs until the run command stops it.
 *
 * <p>While it runs it holds the database: a session-level advisory lock named after the database, taken before the
 * database is touched. A second run command with the same database (the same port offset) cannot take it, and
 * stops with {@code REFUSED} and the reason in the ready file instead of dropping a live system's data.
 *
 * <p>With {@code fresh} the database is dropped and created again: the simulators forget everything when they stop,
 * so the services' state (sync state, published versions, watermarks) must start afresh with them.
 *
 * <p>With an instance name (run.sh's {@code COSELL_INSTANCE}) several systems share the database, each with its own
 * schemas ({@code <instance>_ingress}, …): each holds the database's lock shared and its instance's lock alone, and
 * {@code fresh} drops only its instance's schemas. A system without an instance holds the database alone.
 *
 * <p>A server given as {@code host:port:user:password} is used instead of the local one or an embedded one.
 *
 * <pre>LocalPostgres &lt;state-dir&gt; &lt;ready-file&gt; &lt;database&gt; &lt;embedded-port&gt; [fresh|keep] [instance|-]
 *     [host:port:user:password]</pre>
 */
public final class LocalPostgres {

    /** The advisory lock's first key: co-sell sync's local run command (the second is the database's name hash). */
    private static final int LOCK_SPACE = 0x436f5331;

    private LocalPostgres() {
    }

    /** Another live run command holds the database. */
    public static final class DatabaseInUseException extends Exception {
        DatabaseInUseException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Path ready = Path.of(args[1]);
        String database = args[2];
        int embeddedPort = Integer.parseInt(args[3]);
        boolean fresh = args.length > 4 && "fresh".equals(args[4]);
        String instance = args.length > 5 && !"-".equals(args[5]) ? args[5] : null;
        String server = args.length > 6 && !args[6].isBlank() ? args[6] : null;
        // a run command killed outright (kill -9) cannot stop us: without it we would hold its database forever
        ProcessHandle.current().parent().ifPresent(runCommand -> runCommand.onExit().thenRun(() -> System.exit(0)));
        try {
            serve(state, ready, database, embeddedPort, fresh, instance, server);
        } catch (DatabaseInUseException e) {
            Files.writeString(ready, "REFUSED\n" + e.getMessage() + "\n");
            System.exit(3);
        }
    }

    private static void serve(Path state, Path ready, String database, int embeddedPort, boolean fresh,
            String instance, String server) throws Exception {
        Connection held;
        if (server != null) {
            String[] parts = server.split(":", -1);
            held = claim(parts[0], Integer.parseInt(parts[1]), parts[2], parts[3], database, fresh, instance);
            Files.writeString(ready, "GIVEN " + parts[0] + " " + parts[1] + " " + database + " " + parts[2] + " "
                    + (parts[3].isEmpty() ? "-" : parts[3]) + "\n");
            try (Connection lock = held) {
                Thread.currentThread().join();
            }
            return;
        }
        try {
            held = claim(Postgres.LOCAL_HOST, Postgres.LOCAL_PORT, "postgres", "", database, fresh, instance);
            Files.writeString(ready, "LOCAL 127.0.0.1 " + Postgres.LOCAL_PORT + " " + database + " postgres -\n");
        } catch (SQLException localServerUnavailable) {
            Path work = state.resolve("postgres-binaries");
            Files.createDirectories(work);
            System.setProperty("ot.epg.working-dir", work.toString());
            Path data = state.resolve("postgres-data");
            Files.createDirectories(data);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(embeddedPort)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception e) {
                    // stopping anyway
                }
            }));
            held = claim("127.0.0.1", pg.getPort(), "postgres", "postgres", database, fresh, instance);
            Files.writeString(ready, "EMBEDDED 127.0.0.1 " + pg.getPort() + " " + database + " postgres postgres\n");
        }
        try (Connection lock = held) {
            Thread.currentThread().join(); // serve (and hold the lock) until the run command stops us
        }
    }

    /**
     * Takes the database for this run command: its advisory lock on the server's {@code postgres} database, then
     * (with {@code fresh}) drops and creates it, else creates it when missing. The returned connection holds the
     * lock until it is closed.
     *
     * @throws DatabaseInUseException when another live run command holds the lock; the database is not touched
     * @throws SQLException           when the server cannot be reached or refuses the statements
     */
    public static Connection claim(String host, int port, String user, String password, String database,
            boolean fresh) throws SQLException, DatabaseInUseException {
        return claim(host, port, user, password, database, fresh, null);
    }

    /** {@link #claim} for one instance of several sharing the database (null: the database alone). */
    public static Connection claim(String host, int port, String user, String password, String database,
            boolean fresh, String instance) throws SQLException, DatabaseInUseException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a plain identifier: " + database);
        }
        if (instance != null && !instance.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("instance name must be lower-case letters, digits, dashes: " + instance);
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=2"
                + "&ApplicationName=cosell-local-run:" + database;
        Connection c = DriverManager.getConnection(url, user, password);
        try {
            boolean locked = instance == null ? locked(c, database, false)
                    : locked(c, database, true) && locked(c, database + "/" + instance, false);
            if (!locked) {
                throw new DatabaseInUseException("database " + database + (instance == null ? "" : " (instance "
                        + instance + ")") + " on " + host + ":" + port + " is in use by another running co-sell"
                        + " sync (its run command holds it); it was left as it is. Stop that one first, or run a"
                        + " second system on other ports and its own database: COSELL_PORT_OFFSET=100"
                        + " deploy/local/run.sh");
            }
            try (Statement s = c.createStatement()) {
                if (fresh && instance == null) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database
                        + "'")) {
                    if (!rs.next()) {
                        s.execute("CREATE DATABASE " + database);
                    }
                }
            }
            if (fresh && instance != null) {
                dropSchemas(host, port, user, password, database, instance.replace('-', '_'));
            }
            return c;
        } catch (SQLException | DatabaseInUseException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** An instance's own schemas, in the database it shares: {@code <instance>_ingress} and the writers'. */
    private static void dropSchemas(String host, int port, String user, String password, String database,
            String schemaPrefix) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database,
                user, password); Statement s = c.createStatement()) {
            for (String service : new String[] {"ingress", "salesforce_writer", "partnercenter_writer"}) {
                s.execute("DROP SCHEMA IF EXISTS " + schemaPrefix + "_" + service + " CASCADE");
            }
        }
    }

    private static boolean locked(Connection c, String name, boolean shared) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock" + (shared ? "_shared" : "")
                + "(?, hashtext(?))")) {
            s.setInt(1, LOCK_SPACE);
            s.setString(2, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
