package io.cosellsync.ingress.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

/**
 * Downloads a webhook signing certificate: no redirects (the allow-list must hold for the URL that answers), short
 * timeouts and at most {@link #MAX_BYTES}. Anything else than a 200 is 503 to Partner Center, which then retries.
 */
public final class CertificateFetcher implements Function<URI, byte[]> {

    static final int MAX_BYTES = 64 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    public CertificateFetcher(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public byte[] apply(URI uri) {
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw unavailable(uri, "HTTP " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw unavailable(uri, "larger than " + MAX_BYTES + " bytes");
                }
                return bytes;
            }
        } catch (IOException e) {
            throw unavailable(uri, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(uri, "interrupted");
        }
    }

    private static WebhookRejected unavailable(URI uri, String why) {
        return new WebhookRejected(503, "Signing certificate unavailable", "could not fetch " + uri + ": " + why);
    }
}
