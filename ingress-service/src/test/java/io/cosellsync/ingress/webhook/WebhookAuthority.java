package io.cosellsync.ingress.webhook;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Microsoft's side of webhook signing in {@code @QuarkusTest}s: a root the service is configured to
 * trust, a signing certificate served over real HTTP on 127.0.0.1 (as {@code X-MS-Certificate-Url}), and signing.
 */
public class WebhookAuthority implements QuarkusTestResourceLifecycleManager {

    private static KeyPair signingKeys;
    private static HttpServer server;
    private static final AtomicInteger FETCHES = new AtomicInteger();

    private static Path rootCertificate;
    private static Path rootKey;

    @Override
    public Map<String, String> start() {
        ensure();
        return Map.of("ingress.webhooks.trust-anchors", rootCertificate.toString(),
                "ingress.webhooks.plain-http-certificate-hosts", "127.0.0.1");
    }

    /** The root's certificate and key (PEM files), so the Partner Center simulator can sign with this root too. */
    public static synchronized Path[] root() {
        ensure();
        return new Path[] {rootCertificate, rootKey};
    }

    private static synchronized void ensure() {
        try {
            if (server == null) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair rootKeys = generator.generateKeyPair();
                String rootName = "CN=Test Partner Center Root, O=Microsoft Corporation, C=US";
                X509Certificate root = TestCertificates.certificate(rootName, rootName, rootKeys.getPublic(),
                        rootKeys.getPrivate(), true, Instant.now().plus(Duration.ofDays(30)));
                signingKeys = generator.generateKeyPair();
                byte[] leaf = TestCertificates.certificate(rootName, "CN=pcnotifications-dispatch.microsoft.com, "
                        + "O=Microsoft Corporation, C=US", signingKeys.getPublic(), rootKeys.getPrivate(), false,
                        Instant.now().plus(Duration.ofDays(30))).getEncoded();
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/cert/", exchange -> {
                    FETCHES.incrementAndGet();
                    exchange.sendResponseHeaders(200, leaf.length);
                    exchange.getResponseBody().write(leaf);
                    exchange.close();
                });
                server.start();
                rootCertificate = pem("webhook-root", "CERTIFICATE", root.getEncoded());
                rootKey = pem("webhook-root-key", "PRIVATE KEY", rootKeys.getPrivate().getEncoded());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the test webhook authority", e);
        }
    }

    private static Path pem(String name, String type, byte[] der) throws java.io.IOException {
        Path file = Files.createTempFile(name, ".pem");
        file.toFile().deleteOnExit();
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64,
                "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\n-----END " + type + "-----\n");
        return file;
    }

    @Override
    public void stop() {
        // one per test JVM, like the broker
    }

    static String certificateUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cert/pcnotifications-dispatch.microsoft.com.cer";
    }

    static int fetches() {
        return FETCHES.get();
    }

    /** What Partner Center puts after {@code Signature }: RSA-SHA256 over the body, base64. */
    static String sign(byte[] body) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signingKeys.getPrivate());
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
