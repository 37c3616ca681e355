package io.cosellsync.simulator.salesforce.api;

/** A REST API error: the status and the documented array body {@code [{"message", "errorCode"}]}. */
public class RestError extends RuntimeException {

    private final int status;
    private final String errorCode;

    public RestError(int status, String errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public static RestError invalidSession(String message) {
        return new RestError(401, "INVALID_SESSION_ID", message);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
