package io.cosellsync.ingress.webhook;

import io.cosellsync.support.http.OutboundHttp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Builds the {@link SignatureVerifier} from {@link WebhookConfig}: configured PEM roots, or the JVM's. */
@ApplicationScoped
public class Verification {

    @Produces
    @ApplicationScoped
    SignatureVerifier verifier(WebhookConfig config, OutboundHttp http) throws IOException, GeneralSecurityException {
        List<X509Certificate> anchors = config.trustAnchors().isPresent() ? load(config.trustAnchors().get())
                : jvmRoots();
        return new SignatureVerifier(config.certificateHosts(), config.plainHttpCertificateHosts().orElse(Set.of()),
                anchors, config.issuerOrganization(), new CertificateFetcher(http, config.certificateFetchTimeout()),
                Clock.systemUTC());
    }

    static List<X509Certificate> load(List<Path> files) throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                factory.generateCertificates(in).forEach(c -> certificates.add((X509Certificate) c));
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalStateException("ingress.webhooks.trust-anchors names no certificate: " + files);
        }
        return certificates;
    }

    private static List<X509Certificate> jvmRoots() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security",
                "cacerts"))) {
            store.load(in, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read the JVM's trusted roots", e);
        }
        return new PKIXParameters(store).getTrustAnchors().stream().map(TrustAnchor::getTrustedCert).toList();
    }
}
