package io.cosellsync.simulator.partnercenter.auth;

/** An OAuth error as Entra answers it: {@code error}, {@code error_description} (with an AADSTS code). */
public class TokenError extends RuntimeException {

    private final int status;
    private final String error;
    private final int aadsts;

    public TokenError(int status, String error, int aadsts, String description) {
        super(description);
        this.status = status;
        this.error = error;
        this.aadsts = aadsts;
    }

    public static TokenError invalidRequest(String description) {
        return new TokenError(400, "invalid_request", 900144, description);
    }

    public static TokenError invalidGrant(String description) {
        return new TokenError(400, "invalid_grant", 70000, description);
    }

    public static TokenError invalidClient(String description) {
        return new TokenError(401, "invalid_client", 7000215, description);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public int aadsts() {
        return aadsts;
    }
}
