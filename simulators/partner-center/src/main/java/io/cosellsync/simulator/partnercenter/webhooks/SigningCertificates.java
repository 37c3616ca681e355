package io.cosellsync.simulator.partnercenter.webhooks;

import io.cosellsync.simulator.support.Certificates;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The simulated Microsoft CA and the certificate webhooks are signed with. Subjects mimic the documented ones
 * (issuer with {@code O=Microsoft Corporation}, leaf {@code pcnotifications-dispatch.microsoft.com}); receivers
 * trust the CA exported by {@code GET /_sim/webhooks/ca.pem}. The CA is generated at startup unless
 * {@code partner-center-sim.webhooks.ca-certificate-file} and {@code ca-key-file} (PEM) name one to use, so a
 * deployment can keep one trust anchor across restarts.
 */
@ApplicationScoped
public class SigningCertificates {

    static final String CA_SUBJECT = "CN=Simulated Microsoft Partner Center Root CA, O=Microsoft Corporation,"
            + " L=Redmond, ST=Washington, C=US";
    static final String LEAF_SUBJECT = "CN=pcnotifications-dispatch.microsoft.com, O=Microsoft Corporation,"
            + " L=Redmond, ST=Washington, C=US";

    private final X509Certificate ca;
    private final X509Certificate leaf;
    private final KeyPair leafKeys;

    @jakarta.inject.Inject
    public SigningCertificates(WebhookSettings settings) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        this(settings.caCertificateFile().isPresent() && settings.caKeyFile().isPresent()
                ? loadCa(settings.caCertificateFile().get(), settings.caKeyFile().get()) : null);
    }

    /** Issues the signing certificate from {@code configuredCa}, or from a CA generated now when it is null. */
    SigningCertificates(Ca configuredCa) throws GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Instant now = Instant.now();
        Ca issuer = configuredCa;
        if (issuer == null) {
            KeyPair caKeys = generator.generateKeyPair();
            issuer = new Ca(certificate(new X500Name(CA_SUBJECT), new X500Name(CA_SUBJECT), caKeys.getPublic(),
                    caKeys.getPrivate(), now, true), caKeys.getPrivate());
        }
        this.ca = issuer.certificate();
        this.leafKeys = generator.generateKeyPair();
        this.leaf = certificate(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                new X500Name(LEAF_SUBJECT), leafKeys.getPublic(), issuer.key(), now, false);
    }

    /** A certificate authority: its certificate and private key. */
    record Ca(X509Certificate certificate, PrivateKey key) {
    }

    static Ca loadCa(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
        return new Ca(Certificates.readCertificate(certificateFile), Certificates.readKey(keyFile));
    }

    static X509Certificate certificate(X500Name issuer, X500Name subject, PublicKey subjectKey, PrivateKey issuerKey,
            Instant now, boolean authority) throws GeneralSecurityException, OperatorCreationException {
        return Certificates.certificate(issuer, subject, subjectKey, issuerKey, now, authority, List.of());
    }

    /** RSA-SHA256 over the exact body bytes, base64 — the value after {@code Signature } in the headers. */
    public String sign(byte[] body) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(leafKeys.getPrivate());
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a webhook", e);
        }
    }

    /** The signing certificate, DER-encoded (what {@code X-MS-Certificate-Url} serves). */
    public byte[] leafDer() {
        try {
            return leaf.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA certificate in PEM, for receivers to trust. */
    public String caPem() {
        return Certificates.pem(ca);
    }
}
