package io.cosellsync.simulator.partnercenter.api;

/** An error the Referrals API answers with: HTTP status and a body of code, message and description. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private Long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "InvalidInput", message);
    }

    public ApiException retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
