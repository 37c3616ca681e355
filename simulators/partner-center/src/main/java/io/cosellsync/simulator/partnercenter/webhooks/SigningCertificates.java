package io.cosellsync.simulator.partnercenter.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The simulated Microsoft CA and the certificate webhooks are signed with. Subjects mimic the documented ones
 * (issuer with {@code O=Microsoft Corporation}, leaf {@code pcnotifications-dispatch.microsoft.com}); receivers
 * trust the CA exported by {@code GET /_sim/webhooks/ca.pem}. Generated at startup: restart = new CA.
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

    public SigningCertificates() throws GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair caKeys = generator.generateKeyPair();
        this.leafKeys = generator.generateKeyPair();
        Instant now = Instant.now();
        this.ca = certificate(CA_SUBJECT, CA_SUBJECT, caKeys, caKeys, now, true);
        this.leaf = certificate(CA_SUBJECT, LEAF_SUBJECT, leafKeys, caKeys, now, false);
    }

    private static X509Certificate certificate(String issuer, String subject, KeyPair subjectKeys, KeyPair issuerKeys,
            Instant now, boolean authority) throws GeneralSecurityException, OperatorCreationException {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(authority ? 0 : 1)),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))),
                    new X500Name(subject), subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(authority
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException(e);
        }
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
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(ca);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
