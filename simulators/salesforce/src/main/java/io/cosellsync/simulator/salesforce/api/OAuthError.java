package io.cosellsync.simulator.salesforce.api;

/** A token-endpoint error: HTTP 400 (or 401) with {@code {"error", "error_description"}}. */
public class OAuthError extends RuntimeException {

    private final int status;
    private final String error;

    public OAuthError(int status, String error, String description) {
        super(description);
        this.status = status;
        this.error = error;
    }

    public OAuthError(String error, String description) {
        this(400, error, description);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
