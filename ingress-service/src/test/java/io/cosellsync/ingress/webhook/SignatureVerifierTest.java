package io.cosellsync.ingress.webhook;

import static io.cosellsync.ingress.webhook.TestCertificates.certificate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.cosellsync.support.http.OutboundHttp;
import io.vertx.mutiny.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Webhook signatures as Partner Center makes them, against certificates served by a real local HTTP server. */
class SignatureVerifierTest {

    private static final String MICROSOFT = "O=Microsoft Corporation, L=Redmond, C=US";
    private static final byte[] BODY = ("{\"EventName\":\"referral-updated\",\"ResourceUri\":\"https://api."
            + "partnercenter.microsoft.com/engagements/v1/referrals/0b3f\",\"ResourceName\":\"referral\"}")
            .getBytes(StandardCharsets.UTF_8);

    private static HttpServer server;
    private static final Map<String, byte[]> served = new HashMap<>();
    private static final AtomicInteger fetches = new AtomicInteger();
    private static KeyPair rootKeys;
    private static X509Certificate root;
    private static X509Certificate contosoRoot;
    private static KeyPair leafKeys;
    private static Vertx vertx;
    private static OutboundHttp http;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rootKeys = generator.generateKeyPair();
        root = certificate("CN=Test Root, " + MICROSOFT, "CN=Test Root, " + MICROSOFT, rootKeys.getPublic(),
                rootKeys.getPrivate(), true, Instant.now().plus(Duration.ofDays(365)));
        leafKeys = generator.generateKeyPair();
        serve("/leaf.cer", certificate("CN=Test Root, " + MICROSOFT, "CN=pcnotifications-dispatch.microsoft.com, "
                + MICROSOFT, leafKeys.getPublic(), rootKeys.getPrivate(), false,
                Instant.now().plus(Duration.ofDays(30))).getEncoded());
        KeyPair strangerKeys = generator.generateKeyPair();
        X509Certificate strangerRoot = certificate("CN=Stranger, " + MICROSOFT, "CN=Stranger, " + MICROSOFT,
                strangerKeys.getPublic(), strangerKeys.getPrivate(), true, Instant.now().plus(Duration.ofDays(365)));
        serve("/stranger.cer", certificate(strangerRoot.getSubjectX500Principal().getName(), "CN=stranger, "
                + MICROSOFT, leafKeys.getPublic(), strangerKeys.getPrivate(), false,
                Instant.now().plus(Duration.ofDays(30))).getEncoded());
        // a trusted root that is not Microsoft's: its certificates chain, but the issuer check refuses them
        KeyPair contosoKeys = generator.generateKeyPair();
        contosoRoot = certificate("CN=Contoso Root, O=Contoso Ltd", "CN=Contoso Root, O=Contoso Ltd",
                contosoKeys.getPublic(), contosoKeys.getPrivate(), true, Instant.now().plus(Duration.ofDays(365)));
        serve("/other-issuer.cer", certificate("CN=Contoso Root, O=Contoso Ltd", "CN=dispatch, O=Contoso Ltd",
                leafKeys.getPublic(), contosoKeys.getPrivate(), false, Instant.now().plus(Duration.ofDays(30)))
                .getEncoded());
        serve("/garbage.cer", "not a certificate".getBytes(StandardCharsets.UTF_8));
        serve("/huge.cer", new byte[CertificateFetcher.MAX_BYTES + 1]);
        serve("/streamed/huge.cer", new byte[1024 * 1024]);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] bytes = served.get(exchange.getRequestURI().getPath());
            // under /streamed/ without a length (chunked): the size shows only while reading
            exchange.sendResponseHeaders(bytes == null ? 404 : 200, bytes == null ? -1
                    : exchange.getRequestURI().getPath().startsWith("/streamed/") ? 0 : bytes.length);
            if (bytes != null) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        vertx = Vertx.vertx();
        http = new OutboundHttp(vertx);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        vertx.closeAndAwait();
    }

    private static void serve(String path, byte[] bytes) {
        served.put(path, bytes);
    }

    private static String sign(byte[] body) throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(leafKeys.getPrivate());
        signature.update(body);
        return Base64.getEncoder().encodeToString(signature.sign());
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static SignatureVerifier verifier(Clock clock) {
        return new SignatureVerifier(Set.of("3psostorageacct.blob.core.windows.net"), Set.of("127.0.0.1"),
                List.of(root, contosoRoot), "Microsoft Corporation", new CertificateFetcher(http, Duration.ofSeconds(2)),
                clock);
    }

    private static Map<String, String> headers(String signatureHeader, String signature, String certificatePath) {
        Map<String, String> headers = new HashMap<>();
        headers.put(signatureHeader.toLowerCase(Locale.ROOT), "Signature " + signature);
        headers.put("x-ms-certificate-url", url(certificatePath));
        headers.put("x-ms-signature-algorithm", "rsa-sha256");
        return headers;
    }

    private static void verify(SignatureVerifier verifier, Map<String, String> headers, byte[] body) {
        verifier.verify(name -> headers.get(name.toLowerCase(Locale.ROOT)), body);
    }

    private static WebhookRejected rejected(SignatureVerifier verifier, Map<String, String> headers, byte[] body) {
        return assertThrows(WebhookRejected.class, () -> verify(verifier, headers, body));
    }

    @Test
    void acceptsPartnerCentersSignatureInEitherHeaderAndCachesTheCertificate() throws Exception {
        SignatureVerifier verifier = verifier(Clock.systemUTC());
        int before = fetches.get();
        verify(verifier, headers("Authorization", sign(BODY), "/leaf.cer"), BODY);
        verify(verifier, headers("x-ms-signature", sign(BODY), "/leaf.cer"), BODY);
        assertEquals(before + 1, fetches.get());
    }

    @Test
    void refusesAnythingThatIsNotExactlyWhatWasSigned() throws Exception {
        SignatureVerifier verifier = verifier(Clock.systemUTC());
        byte[] reserialized = new String(BODY, StandardCharsets.UTF_8).replace(",", ", ").getBytes(
                StandardCharsets.UTF_8);
        assertEquals(401, rejected(verifier, headers("Authorization", sign(BODY), "/leaf.cer"), reserialized)
                .status());
        assertEquals(401, rejected(verifier, headers("Authorization", "bm90IGl0", "/leaf.cer"), BODY).status());
        assertEquals(401, rejected(verifier, headers("Authorization", "***", "/leaf.cer"), BODY).status());
        Map<String, String> bearer = headers("Authorization", sign(BODY), "/leaf.cer");
        bearer.put("authorization", "Bearer " + sign(BODY));
        assertEquals(401, rejected(verifier, bearer, BODY).status());
        Map<String, String> unsigned = headers("Authorization", sign(BODY), "/leaf.cer");
        unsigned.remove("authorization");
        assertEquals(401, rejected(verifier, unsigned, BODY).status());
    }

    @Test
    void refusesCertificatesFromElsewhereOrNotChainedToTheAnchorOrNotMicrosofts() throws Exception {
        SignatureVerifier verifier = verifier(Clock.systemUTC());
        String signature = sign(BODY);
        WebhookRejected stranger = rejected(verifier, headers("Authorization", signature, "/stranger.cer"), BODY);
        assertEquals(401, stranger.status());
        assertTrue(stranger.getMessage().contains("does not chain"), stranger.getMessage());
        WebhookRejected issuer = rejected(verifier, headers("Authorization", signature, "/other-issuer.cer"), BODY);
        assertTrue(issuer.getMessage().contains("issuer is not Microsoft Corporation"), issuer.getMessage());
        assertEquals(401, rejected(verifier, headers("Authorization", signature, "/garbage.cer"), BODY).status());
        int before = fetches.get();
        Map<String, String> elsewhere = headers("Authorization", signature, "/leaf.cer");
        elsewhere.put("x-ms-certificate-url", "http://169.254.169.254/latest/meta-data");
        assertEquals(401, rejected(verifier, elsewhere, BODY).status());
        elsewhere.put("x-ms-certificate-url", "https://127.0.0.1:" + server.getAddress().getPort() + "/leaf.cer");
        assertEquals(401, rejected(verifier, elsewhere, BODY).status());
        assertEquals(before, fetches.get(), "nothing is fetched from a host that is not allowed");
    }

    @Test
    void missingCertificateHeadersAreBadRequestsAndAnUnreachableCertificateIsRetryable() throws Exception {
        SignatureVerifier verifier = verifier(Clock.systemUTC());
        Map<String, String> noUrl = headers("Authorization", sign(BODY), "/leaf.cer");
        noUrl.remove("x-ms-certificate-url");
        assertEquals(400, rejected(verifier, noUrl, BODY).status());
        Map<String, String> md5 = headers("Authorization", sign(BODY), "/leaf.cer");
        md5.put("x-ms-signature-algorithm", "rsa-md5");
        assertEquals(400, rejected(verifier, md5, BODY).status());
        assertEquals(503, rejected(verifier, headers("Authorization", sign(BODY), "/missing.cer"), BODY).status());
    }

    @Test
    void aCertificateLargerThan64KiBIsNotReadToTheEnd() throws Exception {
        SignatureVerifier verifier = verifier(Clock.systemUTC());
        for (String path : List.of("/huge.cer", "/streamed/huge.cer")) {
            WebhookRejected rejected = rejected(verifier, headers("Authorization", sign(BODY), path), BODY);
            assertEquals(503, rejected.status(), path);
            assertTrue(rejected.getMessage().endsWith("larger than 65536 bytes"), rejected.getMessage());
        }
    }

    @Test
    void anExpiredCertificateIsRefusedEvenFromTheCache() throws Exception {
        Instant now = Instant.now();
        MutableClock clock = new MutableClock(now);
        SignatureVerifier verifier = verifier(clock);
        verify(verifier, headers("Authorization", sign(BODY), "/leaf.cer"), BODY);
        clock.now = now.plus(Duration.ofDays(31));
        WebhookRejected expired = rejected(verifier, headers("Authorization", sign(BODY), "/leaf.cer"), BODY);
        assertEquals(401, expired.status());
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
