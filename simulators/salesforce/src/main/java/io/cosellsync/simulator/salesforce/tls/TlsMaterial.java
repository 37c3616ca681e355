package io.cosellsync.simulator.salesforce.tls;

import io.cosellsync.simulator.support.Certificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The simulator's TLS certificate (what {@code api.pubsub.salesforce.com} and My Domain hosts serve): a local CA and a
 * server certificate it issued for {@code localhost}, {@code 127.0.0.1} and the configured instance host, made on
 * the first start in a directory and kept there, so clients keep trusting the same CA ({@code ca.pem}) across
 * restarts. A directory that already holds {@code server.pem} and {@code server-key.pem} (a deployment's own) is
 * used as it is.
 */
public final class TlsMaterial {

    public static final String CA = "ca.pem";
    public static final String CERTIFICATE = "server.pem";
    public static final String KEY = "server-key.pem";
    private static final String CA_SUBJECT = "CN=Salesforce Simulator Local CA, O=co-sell sync simulators";

    private TlsMaterial() {
    }

    /** Makes the CA and server certificate in {@code directory} unless they are there already. */
    public static void ensure(Path directory, String instanceHost) throws IOException, GeneralSecurityException,
            OperatorCreationException {
        if (Files.exists(directory.resolve(CERTIFICATE)) && Files.exists(directory.resolve(KEY))) {
            return;
        }
        Files.createDirectories(directory);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair serverKeys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name ca = new X500Name(CA_SUBJECT);
        X509Certificate caCertificate = Certificates.certificate(ca, ca, caKeys.getPublic(), caKeys.getPrivate(), now,
                true, List.of());
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
        names.add(instanceHost);
        X509Certificate server = Certificates.certificate(ca, new X500Name("CN=" + instanceHost
                + ", O=co-sell sync simulators"), serverKeys.getPublic(), caKeys.getPrivate(), now, false,
                List.copyOf(names));
        Files.writeString(directory.resolve(CA), Certificates.pem(caCertificate));
        Files.writeString(directory.resolve(CERTIFICATE), Certificates.pem(server) + Certificates.pem(caCertificate));
        Path key = directory.resolve(KEY);
        Files.writeString(key, Certificates.pem(serverKeys.getPrivate()));
        try {
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's permissions are all there is
        }
    }
}
