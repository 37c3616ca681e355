package io.cosellsync.salesforce.client;

import java.time.Duration;
import java.util.Optional;

/**
 * Salesforce could not take the call now (no answer, 5xx, 503 SERVER_UNAVAILABLE, 403 REQUEST_LIMIT_EXCEEDED, 429):
 * retried with backoff and, when the attempts run out, the work waits and is tried again; it is never dead-lettered.
 */
public class SalesforceUnavailable extends RuntimeException {

    private final Duration retryAfter;

    public SalesforceUnavailable(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
