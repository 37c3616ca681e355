package io.cosellsync.ingress.webhook;

import io.cosellsync.support.http.OutboundHttp;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Downloads a webhook signing certificate over the service's {@link OutboundHttp}: no redirects (the allow-list must
 * hold for the URL that answers), a short timeout and at most {@link #MAX_BYTES}, read as they arrive. Anything else
 * than a 200 is 503 to Partner Center, which then retries. Blocks: the webhook resource verifies on a worker thread.
 */
public final class CertificateFetcher implements Function<URI, byte[]> {

    static final int MAX_BYTES = 64 * 1024;

    private final OutboundHttp http;
    private final Duration timeout;

    public CertificateFetcher(OutboundHttp http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public byte[] apply(URI uri) {
        String why;
        try {
            return http.getBounded(uri, MAX_BYTES, timeout).await().indefinitely();
        } catch (OutboundHttp.Answered | OutboundHttp.TooLarge e) {
            why = e.getMessage();
        } catch (RuntimeException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            why = cause.getClass().getSimpleName();
        }
        throw new WebhookRejected(503, "Signing certificate unavailable", "could not fetch " + uri + ": " + why);
    }
}
