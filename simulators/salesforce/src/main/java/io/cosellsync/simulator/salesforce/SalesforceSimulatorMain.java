package io.cosellsync.simulator.salesforce;

import io.cosellsync.simulator.salesforce.tls.TlsMaterial;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;

/**
 * Starts the simulator with TLS beside plain HTTP: before Quarkus starts, the certificate is made (first start) or
 * found in {@code salesforce-sim.tls.directory} (env {@code SALESFORCE_SIM_TLS_DIRECTORY}; default
 * {@code ~/.cosell-sync/salesforce-sim/tls}) and handed to the HTTP server, which then serves REST and the Pub/Sub
 * API on both {@code quarkus.http.port} (plain, for local use) and {@code quarkus.http.ssl-port} (TLS). Setting
 * {@code quarkus.tls.key-store.pem.0.cert} yourself skips all of this.
 */
@QuarkusMain
public final class SalesforceSimulatorMain {

    private SalesforceSimulatorMain() {
    }

    public static void main(String... args) throws Exception {
        if (setting("quarkus.tls.key-store.pem.0.cert") == null) {
            String configured = setting("salesforce-sim.tls.directory");
            Path directory = configured != null ? Path.of(configured)
                    : Path.of(System.getProperty("user.home"), ".cosell-sync", "salesforce-sim", "tls");
            String instance = setting("salesforce-sim.hosts.instance");
            TlsMaterial.ensure(directory, instance == null ? "localhost" : instance);
            System.setProperty("quarkus.tls.key-store.pem.0.cert", directory.resolve(TlsMaterial.CERTIFICATE)
                    .toString());
            System.setProperty("quarkus.tls.key-store.pem.0.key", directory.resolve(TlsMaterial.KEY).toString());
            System.setProperty("salesforce-sim.tls.ca-file", directory.resolve(TlsMaterial.CA).toString());
        }
        Quarkus.run(args);
    }

    /** A setting from a system property or its environment variable (config is not up yet). */
    private static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return value;
    }
}
