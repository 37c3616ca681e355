package io.cosellsync.simulator.partnercenter.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's own CA, given as PEM files, issues the webhook signing certificate. */
class SigningCertificatesTest {

    @Test
    void aConfiguredCaIssuesTheSigningCertificate(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=Staging Webhook Root, O=Microsoft Corporation, C=US");
        X509Certificate ca = SigningCertificates.certificate(name, name, keys.getPublic(), keys.getPrivate(),
                Instant.now(), true);
        Path certFile = dir.resolve("ca.pem");
        Path keyFile = dir.resolve("ca-key.pem");
        Files.writeString(certFile, pem(ca));
        Files.writeString(keyFile, pem(keys.getPrivate()));

        SigningCertificates certificates = new SigningCertificates(SigningCertificates.loadCa(certFile, keyFile));

        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate exported = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
                certificates.caPem().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(ca, exported);
        X509Certificate leaf = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
                certificates.leafDer()));
        leaf.verify(ca.getPublicKey());
        assertTrue(leaf.getIssuerX500Principal().getName().contains("CN=Staging Webhook Root"));

        byte[] body = "{\"EventName\":\"referral-created\"}".getBytes(StandardCharsets.UTF_8);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(leaf.getPublicKey());
        rsa.update(body);
        assertTrue(rsa.verify(Base64.getDecoder().decode(certificates.sign(body))));
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
