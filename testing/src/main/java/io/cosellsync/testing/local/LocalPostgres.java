package io.cosellsync.testing.local;

import io.cosellsync.testing.Postgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL for {@code deploy/local/run.sh}. Uses the machine's server on 127.0.0.1:5432 when it answers (and
 * exits after creating the database), otherwise runs an embedded server with its data under the state directory
 * until it is stopped. Either way it writes {@code host port database user password} to the ready file.
 *
 * With {@code fresh} the database is dropped and created again: the simulators forget everything when they stop,
 * so the services' state (sync state, published versions, watermarks) must start afresh with them.
 *
 * <pre>LocalPostgres &lt;state-dir&gt; &lt;ready-file&gt; &lt;database&gt; &lt;embedded-port&gt; [fresh]</pre>
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Path ready = Path.of(args[1]);
        String database = args[2];
        int embeddedPort = Integer.parseInt(args[3]);
        boolean fresh = args.length > 4 && "fresh".equals(args[4]);

        if (createDatabase("127.0.0.1", Postgres.LOCAL_PORT, "postgres", "", database, fresh)) {
            Files.writeString(ready, "LOCAL 127.0.0.1 " + Postgres.LOCAL_PORT + " " + database + " postgres -\n");
            return;
        }
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
        if (!createDatabase("127.0.0.1", pg.getPort(), "postgres", "postgres", database, fresh)) {
            throw new IllegalStateException("embedded PostgreSQL started but the database could not be created");
        }
        Files.writeString(ready, "EMBEDDED 127.0.0.1 " + pg.getPort() + " " + database + " postgres postgres\n");
        Thread.currentThread().join(); // serve until the run command stops us
    }

    private static boolean createDatabase(String host, int port, String user, String password, String database,
            boolean fresh) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a plain identifier: " + database);
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=2";
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            if (fresh) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
