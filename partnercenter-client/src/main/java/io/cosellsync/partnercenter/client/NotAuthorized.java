package io.cosellsync.partnercenter.client;

/**
 * No usable Partner Center token for a tenant. {@link #retryable()} tells a caller whether waiting helps (Entra was
 * unreachable) or an operator must act (not signed in, token refused, credential unreadable).
 */
public class NotAuthorized extends RuntimeException {

    private final CredentialState state;

    public NotAuthorized(CredentialState state, String message) {
        super(message, null, false, false);
        this.state = state;
    }

    public CredentialState state() {
        return state;
    }

    public boolean retryable() {
        return state == CredentialState.UNREACHABLE;
    }
}
