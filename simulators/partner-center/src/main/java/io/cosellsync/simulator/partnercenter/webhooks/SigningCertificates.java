package io.cosellsync.simulator.partnercenter.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
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
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

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
        X509Certificate certificate;
        try (Reader in = Files.newBufferedReader(certificateFile); PEMParser pem = new PEMParser(in)) {
            certificate = new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) pem.readObject());
        }
        PrivateKey key;
        try (Reader in = Files.newBufferedReader(keyFile); PEMParser pem = new PEMParser(in)) {
            Object object = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            key = object instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) object);
        }
        return new Ca(certificate, key);
    }

    static X509Certificate certificate(X500Name issuer, X500Name subject, PublicKey subjectKey, PrivateKey issuerKey,
            Instant now, boolean authority) throws GeneralSecurityException, OperatorCreationException {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(authority ? 0 : 1)),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))),
                    subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(authority
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
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
