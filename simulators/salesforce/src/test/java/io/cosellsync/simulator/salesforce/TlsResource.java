package io.cosellsync.simulator.salesforce;

import io.cosellsync.simulator.salesforce.tls.TlsMaterial;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code SalesforceSimulatorMain} does before a real start, for the tests' application: the CA and server
 * certificate made in a fresh directory and handed to the HTTP server, so REST and the Pub/Sub API also serve TLS.
 */
public class TlsResource implements QuarkusTestResourceLifecycleManager {

    static Path directory;

    @Override
    public Map<String, String> start() {
        try {
            directory = Files.createTempDirectory("salesforce-sim-tls");
            TlsMaterial.ensure(directory, "localhost");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.tls.key-store.pem.0.cert", directory.resolve(TlsMaterial.CERTIFICATE).toString(),
                "quarkus.tls.key-store.pem.0.key", directory.resolve(TlsMaterial.KEY).toString(),
                "salesforce-sim.tls.ca-file", directory.resolve(TlsMaterial.CA).toString());
    }

    @Override
    public void stop() {
        // the directory is in the system's temporary space
    }
}
