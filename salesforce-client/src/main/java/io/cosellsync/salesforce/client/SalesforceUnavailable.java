package io.cosellsync.salesforce.client;

import java.time.Duration;
import java.util.Optional;

/**
 * Salesforce could not take the call now (no answer, 5xx, 503 SERVER_UNAVAILABLE, 403 REQUEST_LIMIT_EXCEEDED, 429):
 * retried with backoff and, when the attempts run out, the work waits and is tried again; it is never dead-lettered.
 * A create is retried only after a refusal that cannot have applied it ({@link #notApplied()}: 429 and
 * REQUEST_LIMIT_EXCEEDED, refused before Salesforce acts); after no answer or a 5xx it may have been applied, so the
 * work waits and starts again from its reads, which find what was created.
 */
public class SalesforceUnavailable extends RuntimeException {

    private final Duration retryAfter;
    private final boolean notApplied;

    public SalesforceUnavailable(String message, Duration retryAfter) {
        this(message, retryAfter, false);
    }

    public SalesforceUnavailable(String message, Duration retryAfter, boolean notApplied) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
        this.notApplied = notApplied;
    }

    /** Whether Salesforce refused the call before acting on it (429, REQUEST_LIMIT_EXCEEDED). */
    public boolean notApplied() {
        return notApplied;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
